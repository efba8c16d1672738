package com.phishnet.store.platform.web;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Every error kind the web layer can meet comes out as RFC 9457 problem details with a stable type. */
class ProblemDetailsHandlerTest {

    private final WebTestClient http = client();

    @Test
    void validationFailuresListEveryInvalidField() {
        http.post().uri("/test/widgets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "", "count", 99))
                .header(RequestIdFilter.HEADER, "req-42")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:validation")
                .jsonPath("$.title").isEqualTo("Request validation failed")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").isEqualTo("2 fields are invalid.")
                .jsonPath("$.instance").isEqualTo("/test/widgets")
                .jsonPath("$.requestId").isEqualTo("req-42")
                .jsonPath("$.errors[0].field").isEqualTo("count")
                .jsonPath("$.errors[1].field").isEqualTo("name")
                .jsonPath("$.errors[1].message").isNotEmpty();
    }

    @Test
    void bodyErrorsNameTheirFieldsAlsoWhenOtherParametersAreValidated() {
        http.post().uri("/test/widgets-with-key").contentType(MediaType.APPLICATION_JSON)
                .header("Key", "ok").bodyValue(Map.of("name", "", "count", 1))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:validation")
                .jsonPath("$.errors[0].field").isEqualTo("name");
    }

    @Test
    void malformedJsonIsABadRequestThatDoesNotEchoThePayload() {
        http.post().uri("/test/widgets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"secret-value\", ")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:bad-request")
                .jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
                        .doesNotContain("secret-value"));
    }

    @Test
    void aPathVariableOfTheWrongTypeIsABadRequest() {
        http.get().uri("/test/widgets/not-a-number").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:bad-request");
    }

    @Test
    void aMissingRecordIsNotFound() {
        http.get().uri("/test/missing").exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:not-found")
                .jsonPath("$.detail").isEqualTo("widget w-1 not found");
    }

    @Test
    void anUnknownPathIsNotFound() {
        http.get().uri("/no/such/route").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:not-found");
    }

    @Test
    void aDuplicateKeyIsAConflict() {
        http.get().uri("/test/duplicate").exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:conflict");
    }

    @Test
    void anUnsupportedContentTypeIs415WithTheAcceptedTypes() {
        http.post().uri("/test/widgets").contentType(MediaType.TEXT_PLAIN).bodyValue("name=x")
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().exists("Accept")
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:unsupported-media-type");
    }

    @Test
    void aWrongMethodIs405WithTheAllowedMethods() {
        http.delete().uri("/test/widgets").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "POST")
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:method-not-allowed");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String name = "x".repeat(300 * 1024);

        http.post().uri("/test/widgets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"" + name + "\", \"count\": 1}")
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:payload-too-large");
    }

    @Test
    void aServerFaultHidesItsMessageAndKeepsTheRequestId() {
        http.get().uri("/test/boom").header(RequestIdFilter.HEADER, "req-500").exchange()
                .expectStatus().is5xxServerError()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:phishnet:problem:internal")
                .jsonPath("$.requestId").isEqualTo("req-500")
                .jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
                        .doesNotContain("connection string").contains("request id"));
    }

    @Test
    void aValidRequestPassesUntouched() {
        http.post().uri("/test/widgets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "ok", "count", 3))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("ok");
    }

    private static WebTestClient client() {
        LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
        validator.afterPropertiesSet();
        ProblemDetailsHandler handler = new ProblemDetailsHandler(ServerCodecConfigurer.create());
        return WebTestClient.bindToController(new WidgetController())
                .validator(validator)
                .webFilter(new RequestIdFilter(() -> "generated-id"))
                .configureClient()
                .build()
                .mutateWith((builder, httpHandlerBuilder, connector) -> {
                    if (httpHandlerBuilder != null) {
                        httpHandlerBuilder.exceptionHandlers(handlers -> handlers.add(0, handler));
                    }
                });
    }

    record Widget(@NotBlank String name, @Min(1) @Max(10) int count) {
    }

    @RestController
    static class WidgetController {

        @PostMapping(path = "/test/widgets", consumes = MediaType.APPLICATION_JSON_VALUE)
        Mono<Widget> create(@Valid @RequestBody Widget widget) {
            return Mono.just(widget);
        }

        @PostMapping(path = "/test/widgets-with-key", consumes = MediaType.APPLICATION_JSON_VALUE)
        Mono<Widget> createWithKey(@Valid @RequestBody Widget widget,
                @org.springframework.web.bind.annotation.RequestHeader("Key") @jakarta.validation.constraints.Size(max = 10) String key) {
            return Mono.just(widget);
        }

        @GetMapping("/test/widgets/{id}")
        Mono<Widget> get(@PathVariable int id) {
            return Mono.just(new Widget("w" + id, 1));
        }

        @GetMapping("/test/missing")
        Mono<Widget> missing() {
            return Mono.error(new ApiException.NotFound("widget w-1 not found"));
        }

        @GetMapping("/test/duplicate")
        Mono<Widget> duplicate() {
            return Mono.error(new DuplicateKeyException("E11000 duplicate key error collection: widgets"));
        }

        @GetMapping("/test/boom")
        Mono<Widget> boom() {
            return Mono.error(new IllegalStateException("connection string mongodb://admin:hunter2@db"));
        }
    }
}
