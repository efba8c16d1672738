package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** {@code GET /api/v1/admin/metrics} over HTTP, down to the query the database would be asked. */
@OfflineApplicationTest
class ServiceMetricsRouteTest {

    @MockitoBean
    ServiceMetricsRepository repository;

    @Autowired
    WebTestClient http;

    private String operator;

    @BeforeEach
    void operator() {
        operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
    }

    @Test
    void anOperatorReadsBucketsOfOneMetricPerInstanceAndTags() {
        given(repository.aggregate(any())).willReturn(Flux.just(new Document("_id", new Document("instance", "host-a1b2")
                .append("tags", new Document("group", "scans"))
                .append("start", Date.from(Instant.parse("2026-12-06T09:00:00Z"))))
                .append("avg", 12.5).append("p95", 40.0).append("max", 61.0).append("samples", 10)));

        http.get().uri("/api/v1/admin/metrics?name=http.requests.latency&from=2026-12-06T09:00:00Z&to=2026-12-06T10:00:00Z&granularity=15m")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("http.requests.latency")
                .jsonPath("$.unit").isEqualTo("ms")
                .jsonPath("$.granularity").isEqualTo("15m")
                .jsonPath("$.series[0].instance").isEqualTo("host-a1b2")
                .jsonPath("$.series[0].tags.group").isEqualTo("scans")
                .jsonPath("$.series[0].buckets[0].start").isEqualTo("2026-12-06T09:00:00Z")
                .jsonPath("$.series[0].buckets[0].avg").isEqualTo(12.5)
                .jsonPath("$.series[0].buckets[0].p95").isEqualTo(40.0)
                .jsonPath("$.series[0].buckets[0].max").isEqualTo(61.0)
                .jsonPath("$.series[0].buckets[0].samples").isEqualTo(10);

        ArgumentCaptor<MetricsQuery> query = ArgumentCaptor.forClass(MetricsQuery.class);
        then(repository).should().aggregate(query.capture());
        assertThat(query.getValue().metric()).isEqualTo(ServiceMetric.HTTP_REQUESTS_LATENCY);
        assertThat(query.getValue().granularity()).isEqualTo(MetricsQuery.Granularity.FIFTEEN_MINUTES);
        assertThat(query.getValue().from()).isEqualTo(Instant.parse("2026-12-06T09:00:00Z"));
    }

    @Test
    void aTenantAdminIsRefusedAndAnAnonymousCallerUnauthorized() {
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));

        http.get().uri("/api/v1/admin/metrics?name=http.requests.rate").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/v1/admin/metrics?name=http.requests.rate").exchange().expectStatus().isUnauthorized();
        then(repository).should(never()).aggregate(any());
    }

    @Test
    void badQueriesAreProblemsNamingTheFieldAndReachNoDatabase() {
        for (String query : List.of("", "?name=nope", "?name=http.requests.rate&granularity=2m",
                "?name=http.requests.rate&from=2026-12-06T10:00:00Z&to=2026-12-06T09:00:00Z",
                "?name=http.requests.rate&from=yesterday", "?name=%7B%22%24ne%22%3Anull%7D",
                "?name=http.requests.rate&from=2026-10-01T00:00:00Z&to=2026-12-06T00:00:00Z")) {
            http.get().uri("/api/v1/admin/metrics" + query).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        then(repository).should(never()).aggregate(any());
    }
}
