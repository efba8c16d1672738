package com.phishnet.store.support;

import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Mints bearer tokens through the local profile's development endpoint, as a newcomer would. */
public final class DevTokens {

    private DevTokens() {
    }

    public static String mint(WebTestClient http, String subject, String tenant, List<String> roles, String... scopes) {
        Map<?, ?> body = http.post().uri("/api/v1/dev/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", subject, "tenant", tenant, "roles", roles, "scopes", List.of(scopes)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class)
                .returnResult().getResponseBody();
        return body.get("accessToken").toString();
    }
}
