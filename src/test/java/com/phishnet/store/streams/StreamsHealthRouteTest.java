package com.phishnet.store.streams;

import java.util.List;

import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The streams component as operators read it from the health endpoint. */
@OfflineApplicationTest
class StreamsHealthRouteTest {

    @Autowired
    WebTestClient http;

    @Test
    void anOperatorSeesEachStreamsCursorWhileNoneIsFollowed() {
        String operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");

        http.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator).exchange()
                .expectBody()
                .jsonPath("$.components.streams.status").isEqualTo("UP")
                .jsonPath("$.components.streams.details.scans.cursor").isEqualTo("IDLE")
                .jsonPath("$.components.streams.details.threats.subscribers").isEqualTo(0)
                .jsonPath("$.components.streams.details.audit.cursor").isEqualTo("IDLE")
                .jsonPath("$.components.streams.details.jobs.cursor").isEqualTo("IDLE");
    }

    @Test
    void othersSeeItsStatusOnly() {
        http.get().uri("/actuator/health").exchange()
                .expectBody()
                .jsonPath("$.components.streams.status").isEqualTo("UP")
                .jsonPath("$.components.streams.details").doesNotExist();
    }
}
