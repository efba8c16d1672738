package com.phishnet.store.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The benchmark's HTTP client: Reactor Netty on event loops of its own (not the server's), with a connection pool
 * as large as the largest closed loop, so no worker ever waits for a connection. In the open model more calls than
 * connections may be in flight: they wait for a connection in the client, as they would behind any pooled client,
 * and that wait counts in their latency.
 */
final class BenchHttp implements AutoCloseable {

    /** Development tokens live at most as long as phishnet.security.jwt.max-token-lifetime (24 h by default). */
    private static final int TOKEN_MINUTES = 24 * 60;
    private static final int ERROR_BODY_MAX = 240;

    private final LoopResources loops;
    private final ConnectionProvider pool;
    private final WebClient web;

    BenchHttp(int port, int connections, Duration timeout) {
        this.loops = LoopResources.create("bench-client", Math.max(1, Runtime.getRuntime().availableProcessors()), true);
        this.pool = ConnectionProvider.builder("bench")
                .maxConnections(connections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(timeout)
                .maxIdleTime(Duration.ofSeconds(60))
                .build();
        HttpClient client = HttpClient.create(pool).runOn(loops).responseTimeout(timeout);
        this.web = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(client))
                .defaultHeader(HttpHeaders.USER_AGENT, ScanPayload.USER_AGENT)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .build();
    }

    WebClient web() {
        return web;
    }

    /** A bearer token from the local profile's development endpoint, as the other benchmarks and ITs mint them. */
    String token(String subject, String tenant, List<String> roles, String... scopes) {
        Map<?, ?> body = json(web.post().uri("/api/v1/dev/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", subject, "tenant", tenant, "roles", roles, "scopes", List.of(scopes),
                        "ttlMinutes", TOKEN_MINUTES)), 200).block(Duration.ofSeconds(30));
        return body.get("accessToken").toString();
    }

    /** Creates a USER through the API; its id. */
    String createUser(String adminToken, String email) {
        Map<?, ?> body = json(web.post().uri("/api/v1/users").headers(headers -> headers.setBearerAuth(adminToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", email, "role", "USER")), 201)
                .block(Duration.ofSeconds(30));
        return ((Map<?, ?>) body.get("user")).get("id").toString();
    }

    /**
     * The exchange, its body read to the end and dropped; any status but {@code expected} fails with the status and
     * the start of the body (a problem document says what was wrong).
     */
    static Mono<Void> expect(WebClient.RequestHeadersSpec<?> request, int expected) {
        return request.exchangeToMono(response -> response.statusCode().value() == expected ? response.releaseBody()
                : refused(response, expected));
    }

    /** The JSON body of an exchange answered with {@code expected}. */
    @SuppressWarnings("rawtypes")
    static Mono<Map> json(WebClient.RequestHeadersSpec<?> request, int expected) {
        return request.exchangeToMono(response -> response.statusCode().value() == expected
                ? response.bodyToMono(Map.class) : refused(response, expected));
    }

    private static <T> Mono<T> refused(ClientResponse response, int expected) {
        return response.bodyToMono(String.class).defaultIfEmpty("")
                .flatMap(body -> Mono.error(new IllegalStateException("answered " + response.statusCode() + ", not "
                        + expected + ": " + (body.length() > ERROR_BODY_MAX ? body.substring(0, ERROR_BODY_MAX) + "…" : body))));
    }

    @Override
    public void close() {
        pool.disposeLater().block(Duration.ofSeconds(30));
        loops.disposeLater().block(Duration.ofSeconds(30));
    }
}
