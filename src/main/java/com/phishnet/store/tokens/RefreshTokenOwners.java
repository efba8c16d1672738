package com.phishnet.store.tokens;

import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.OwnerLookup;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Who a refresh token was issued to, so its holder (or an ADMIN) may revoke it. */
@Component
public class RefreshTokenOwners implements OwnerLookup {

    private final RefreshTokenRepository repository;

    RefreshTokenOwners(RefreshTokenRepository repository) {
        this.repository = repository;
    }

    @Override
    public Mono<String> ownerOf(Caller caller, String tokenId) {
        return repository.find(caller.tenantId(), tokenId).map(RefreshToken::userId);
    }
}
