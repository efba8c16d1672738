package com.phishnet.store.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RequestIdFilterTest {

    private final RequestIdFilter filter = new RequestIdFilter(() -> "generated-1");

    @Test
    void keepsAWellFormedCallerId() {
        MockServerWebExchange exchange = exchange("trace-abc.123:x");

        StepVerifier.create(filter.filter(exchange, ignored -> Mono.empty())).verifyComplete();

        assertThat(RequestIdFilter.of(exchange)).isEqualTo("trace-abc.123:x");
        assertThat(exchange.getResponse().getHeaders().getFirst(RequestIdFilter.HEADER)).isEqualTo("trace-abc.123:x");
    }

    @Test
    void replacesAnIdThatCouldForgeLogLines() {
        MockServerWebExchange exchange = exchange("evil id\nERROR forged");

        StepVerifier.create(filter.filter(exchange, ignored -> Mono.empty())).verifyComplete();

        assertThat(RequestIdFilter.of(exchange)).isEqualTo("generated-1");
    }

    @Test
    void generatesAnIdWhenNoneIsGiven() {
        MockServerWebExchange exchange = exchange(null);

        StepVerifier.create(filter.filter(exchange, ignored -> Mono.empty())).verifyComplete();

        assertThat(exchange.getResponse().getHeaders().getFirst(RequestIdFilter.HEADER)).isEqualTo("generated-1");
    }

    @Test
    void putsTheIdInTheReactorContext() {
        MockServerWebExchange exchange = exchange("ctx-1");

        StepVerifier.create(filter.filter(exchange, ignored -> Mono.deferContextual(context ->
                        "ctx-1".equals(context.getOrDefault(RequestIdFilter.CONTEXT_KEY, null))
                                ? Mono.empty() : Mono.error(new AssertionError("request id missing from context")))))
                .verifyComplete();
    }

    private static MockServerWebExchange exchange(String requestId) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/v1/anything");
        if (requestId != null) {
            request.header(RequestIdFilter.HEADER, requestId);
        }
        return MockServerWebExchange.from(request);
    }
}
