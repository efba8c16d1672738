package com.phishnet.store.tokens;

import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.ProblemType;

import org.springframework.http.HttpStatus;

/** The presented refresh token cannot be exchanged; the detail never says whether it exists elsewhere. */
public class InvalidRefreshTokenException extends ApiException {

    public InvalidRefreshTokenException(String detail) {
        super(HttpStatus.BAD_REQUEST, ProblemType.INVALID_GRANT, detail);
    }
}
