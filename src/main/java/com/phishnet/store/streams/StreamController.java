package com.phishnet.store.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Size;

import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.scans.Verdict;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Server-sent event streams of committed changes. Each event's id is its change-stream resume token: a client that
 * reconnects with it ({@code Last-Event-ID}, or {@code lastEventId} for clients that cannot set headers) gets every
 * change after it, then the live ones. The tenant is always the caller's; a stream ends with {@code expired} when
 * the token that opened it does. See docs/streams.md.
 */
@RestController
public class StreamController {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    /** How far ahead of this instance's clock the database's may run; an id beyond it was not sent by a server. */
    static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);

    private final StreamService streams;
    private final Clock clock;

    public StreamController(StreamService streams, Clock clock) {
        this.streams = streams;
        this.clock = clock;
    }

    @GetMapping(path = "/api/v1/streams/scans", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Stream new scans")
    @Requires(Rule.MEMBER)
    public Flux<ServerSentEvent<String>> scans(Caller caller,
            @RequestParam(required = false) Verdict verdict,
            @RequestParam(required = false) @DecimalMin("0.0") @DecimalMax("1.0") Double minScore,
            @RequestParam(required = false) @Size(min = 1, max = InputBounds.ID_MAX) String userId,
            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventIdHeader,
            @RequestParam(required = false) String lastEventId) {
        ResumeToken after = resumePoint(lastEventIdHeader, lastEventId);
        return tokenExpiry().flatMapMany(expiresAt -> streams.scans(caller,
                new StreamService.ScanFilter(verdict, minScore, userId), after, expiresAt));
    }

    @GetMapping(path = "/api/v1/streams/threats", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Stream threats")
    @Requires(Rule.MEMBER)
    public Flux<ServerSentEvent<String>> threats(Caller caller,
            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventIdHeader,
            @RequestParam(required = false) String lastEventId) {
        ResumeToken after = resumePoint(lastEventIdHeader, lastEventId);
        return tokenExpiry().flatMapMany(expiresAt -> streams.threats(caller, after, expiresAt));
    }

    @GetMapping(path = "/api/v1/streams/audit", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Stream audit entries")
    @Requires(Rule.ADMIN)
    public Flux<ServerSentEvent<String>> audit(Caller caller,
            @RequestParam(required = false) AuditEventType eventType,
            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventIdHeader,
            @RequestParam(required = false) String lastEventId) {
        ResumeToken after = resumePoint(lastEventIdHeader, lastEventId);
        return tokenExpiry().flatMapMany(expiresAt -> streams.audit(caller, eventType, after, expiresAt));
    }

    /**
     * A job's state now, then its changes until it is final. A reconnecting client gets the state afresh, so no
     * event id is needed to resume; one sent is still checked.
     */
    @GetMapping(path = "/api/v1/streams/jobs/{id}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Stream a job's state")
    @Requires(Rule.MEMBER)
    public Flux<ServerSentEvent<String>> job(Caller caller, @PathVariable @Size(max = InputBounds.ID_MAX) String id,
            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventIdHeader,
            @RequestParam(required = false) String lastEventId) {
        resumePoint(lastEventIdHeader, lastEventId);
        return tokenExpiry().flatMapMany(expiresAt -> streams.job(caller, id, expiresAt));
    }

    /** The header wins over the parameter (a browser's EventSource sends the header on its own reconnects). */
    ResumeToken resumePoint(String header, String parameter) {
        String field = header != null ? LAST_EVENT_ID : "lastEventId";
        String value = header != null ? header : parameter;
        if (value == null) {
            return null;
        }
        ResumeToken token;
        try {
            token = ResumeToken.parse(value);
        }
        catch (IllegalArgumentException malformed) {
            throw new ApiException.InvalidField(field, "The event id " + malformed.getMessage() + ".");
        }
        // A server waits for a future position to arrive: such a catch-up would hold its cursor and the live events.
        if (token.clusterTime().isAfter(clock.instant().plus(CLOCK_TOLERANCE))) {
            throw new ApiException.InvalidField(field, "The event id names a time in the future.");
        }
        return token;
    }

    /** When the token (or the ticket's token) that opened the stream expires; the stream ends then. */
    private static Mono<Instant> tokenExpiry() {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication() instanceof JwtAuthenticationToken jwt
                        ? jwt.getToken().getExpiresAt() : null)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("a stream without a token's lifetime")));
    }
}
