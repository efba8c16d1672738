package com.phishnet.store.platform.security;

import org.springframework.security.core.AuthenticationException;

/** A stream ticket that is unknown, already used, expired or issued for another stream: answered 401. */
final class StreamTicketRejectedException extends AuthenticationException {

    /** One text for every reason, so a failed request tells nothing about which tickets exist. */
    static final String DETAIL = "The stream ticket was not accepted: it is unknown, already used, expired, or for"
            + " another stream. Create a new one with POST /api/v1/streams/tickets.";

    StreamTicketRejectedException() {
        super(DETAIL);
    }
}
