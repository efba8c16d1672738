package com.phishnet.store.platform.security;

import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

/**
 * The port through which the security filter chain opens a stream with a single-use ticket instead of a bearer
 * header ({@code EventSource} cannot send headers). Implemented by the streams feature, which issues the tickets;
 * platform only knows this interface. Without an implementation, tickets authenticate nothing.
 */
public interface StreamTicketRedeemer {

    /**
     * Consumes the ticket if it is unused, unexpired and was issued for exactly this request path, answering the
     * claims of the bearer token that created it ({@code sub}, tenant, roles, scope, {@code iat}, and that token's
     * {@code exp}); empty when it is none of these. A ticket answers at most once, across instances.
     */
    Mono<Jwt> redeem(String ticket, String path);
}
