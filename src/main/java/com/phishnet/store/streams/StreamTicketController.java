package com.phishnet.store.streams;

import com.phishnet.store.platform.web.SuccessStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;

import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.streams.StreamTicketRequests.CreateTicket;
import com.phishnet.store.streams.StreamTicketRequests.IssuedTicket;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Tickets that let a browser open a stream without a bearer header (see docs/security.md). */
@RestController
public class StreamTicketController {

    private final StreamTicketService tickets;

    public StreamTicketController(StreamTicketService tickets) {
        this.tickets = tickets;
    }

    /** A ticket bound to the caller, its tenant and one stream; the bearer token's expiry bounds the stream. */
    @PostMapping("/api/v1/streams/tickets")
    @Operation(summary = "Get a stream ticket")
    @SuccessStatus(HttpStatus.CREATED)
    @Requires(Rule.MEMBER)
    public Mono<ResponseEntity<IssuedTicket>> create(Caller caller, @AuthenticationPrincipal Jwt token,
            @Valid @RequestBody CreateTicket request) {
        return tickets.issue(caller, request.stream(), token.getExpiresAt())
                .map(issued -> ResponseEntity.status(HttpStatus.CREATED).body(issued));
    }
}
