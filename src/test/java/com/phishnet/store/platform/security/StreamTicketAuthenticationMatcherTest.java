package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;

/** Which requests the ticket filter reads as a ticket request, and what it hands the redeemer. */
class StreamTicketAuthenticationMatcherTest {

    @Test
    void aStreamGetWithOneTicketAndNoAuthorizationHeaderIsATicketRequest() {
        assertThat(matches(MockServerHttpRequest.get("/api/v1/streams/scans?ticket=t&verdict=MALICIOUS"))).isTrue();
        assertThat(matches(MockServerHttpRequest.get("/api/v1/streams/jobs/j-1?ticket=t"))).isTrue();
    }

    @Test
    void nothingElseIs() {
        assertThat(matches(MockServerHttpRequest.get("/api/v1/streams/scans"))).isFalse();
        assertThat(matches(MockServerHttpRequest.get("/api/v1/streams/scans?access_token=t"))).isFalse();
        assertThat(matches(MockServerHttpRequest.get("/api/v1/streams/scans?ticket=a&ticket=b"))).isFalse();
        assertThat(matches(MockServerHttpRequest.get("/api/v1/streams/scans?ticket=t")
                .header(HttpHeaders.AUTHORIZATION, "Bearer x"))).isFalse();
        assertThat(matches(MockServerHttpRequest.post("/api/v1/streams/tickets?ticket=t"))).isFalse();
        assertThat(matches(MockServerHttpRequest.get("/api/v1/scans?ticket=t"))).isFalse();
    }

    @Test
    void theRedeemerIsAskedForThePathAsSentNotAsDecoded() {
        Authentication presented = StreamTicketAuthentication.converter()
                .convert(MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.GET,
                        URI.create("/api/v1/streams/%73cans?ticket=t&x=1"))))
                .block();

        assertThat(presented.getCredentials()).isEqualTo("t");
        assertThat(presented.getPrincipal()).isEqualTo("/api/v1/streams/%73cans");
        assertThat(presented.isAuthenticated()).isFalse();
        assertThat(presented.toString()).isEqualTo("TicketAuthentication[path=/api/v1/streams/%73cans]");
    }

    private static boolean matches(MockServerHttpRequest.BaseBuilder<?> request) {
        return StreamTicketAuthentication.matcher().matches(MockServerWebExchange.from(request.build()))
                .block().isMatch();
    }
}
