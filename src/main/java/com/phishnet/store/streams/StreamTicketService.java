package com.phishnet.store.streams;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import com.phishnet.store.platform.crypto.Sha256;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.platform.security.Access.Target;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.JwtClaims;
import com.phishnet.store.platform.security.StreamTicketRedeemer;
import com.phishnet.store.streams.StreamTicketRequests.IssuedTicket;
import com.phishnet.store.streams.StreamTicketRequests.StreamTicketProperties;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Single-use tickets that open one stream for a browser, whose {@code EventSource} cannot send a bearer header.
 * A ticket carries what the creating token said about its caller (subject, tenant, known roles and scopes) and
 * that token's expiry; it lives a minute at most and never beyond the token. Only its SHA-256 is stored (the
 * tickets are 256 random bits, so a plain hash cannot be reversed by guessing), and redeeming deletes it.
 */
@Service
public class StreamTicketService implements StreamTicketRedeemer {

    private static final int TICKET_BYTES = 32;
    /** 32 bytes in base64url without padding: anything else was never issued, and costs no database round trip. */
    private static final Pattern TICKET_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** What stands for the token value in the rebuilt claims: the ticket is spent, and no JWT exists. */
    static final String TOKEN_VALUE = "stream-ticket";

    private final StreamTicketRepository repository;
    private final StreamTicketProperties properties;
    private final SecureRandom random;
    private final Clock clock;

    public StreamTicketService(StreamTicketRepository repository, StreamTicketProperties properties,
            SecureRandom random, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.random = random;
        this.clock = clock;
    }

    /**
     * A ticket for {@code stream} (validated: scans, threats, audit or jobs/&lt;id&gt;) on behalf of the caller whose
     * bearer token expires at {@code tokenExpiresAt}. The audit stream is for ADMINs only, so others are refused
     * here already; the stream applies its own rule again when the ticket opens it.
     */
    public Mono<IssuedTicket> issue(Caller caller, String stream, Instant tokenExpiresAt) {
        String refusal = StreamTicketRequests.AUDIT.equals(stream) ? Rule.ADMIN.refusal(caller, new Target(null, List.of()))
                : null;
        if (refusal != null) {
            return Mono.error(new AccessDeniedException(refusal));
        }
        Instant now = clock.instant();
        Instant expiresAt = earlier(now.plus(properties.ttl()), tokenExpiresAt);
        if (!expiresAt.isAfter(now)) {
            // Accepted within the clock skew, but a ticket would be dead on arrival.
            return Mono.error(new CredentialsExpiredException("the bearer token has expired"));
        }
        String ticket = randomTicket();
        String path = StreamTicketFields.STREAM_PREFIX + stream;
        return repository.insert(new StreamTicket(hash(ticket), caller.subject(), caller.tenantId(), roles(caller),
                        scopes(caller), path, now, expiresAt, tokenExpiresAt))
                .map(saved -> new IssuedTicket(ticket, saved.stream(), saved.expiresAt()));
    }

    @Override
    public Mono<Jwt> redeem(String ticket, String path) {
        if (ticket == null || !TICKET_SHAPE.matcher(ticket).matches()) {
            return Mono.empty();
        }
        return repository.redeem(hash(ticket), path, clock.instant()).map(StreamTicketService::claimsOf);
    }

    /** The claims of the token that created the ticket, shaped as that token carried them. */
    static Jwt claimsOf(StreamTicket ticket) {
        return Jwt.withTokenValue(TOKEN_VALUE)
                .header("typ", TOKEN_VALUE)
                .subject(ticket.subject())
                .claim(JwtClaims.TENANT, ticket.tenantId())
                .claim(JwtClaims.ROLES, ticket.roles().stream().map(Role::name).toList())
                .claim(JwtClaims.SCOPE, String.join(" ", ticket.scopes()))
                .issuedAt(ticket.createdAt())
                .expiresAt(ticket.tokenExpiresAt())
                .build();
    }

    private static List<Role> roles(Caller caller) {
        return caller.roles().stream().sorted().toList();
    }

    /** Only scopes the service knows: others grant nothing, and would make the stored list unbounded. */
    private static List<String> scopes(Caller caller) {
        return Arrays.stream(Scope.values()).map(Scope::value).filter(caller.scopes()::contains).toList();
    }

    private String randomTicket() {
        byte[] ticket = new byte[TICKET_BYTES];
        random.nextBytes(ticket);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ticket);
    }

    static String hash(String ticket) {
        return Sha256.hex(ticket);
    }

    private static Instant earlier(Instant one, Instant other) {
        return one.isBefore(other) ? one : other;
    }
}
