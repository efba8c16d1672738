package com.phishnet.store.platform.web;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Turns every failure that reaches the web layer into RFC 9457 problem details with a stable type, the
 * request id and, for validation, the offending fields. Client mistakes never become a 500, and server
 * faults never leak their message or stack trace: they are logged under the request id instead.
 * Runs before Spring Boot's default error handler (order -1), so it answers for routes, filters and
 * unknown paths alike.
 */
@Component
@Order(-2)
public class ProblemDetailsHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsHandler.class);

    static final String MISSING_CREDENTIALS = "A valid bearer token is required.";
    static final String INVALID_TOKEN = "The bearer token was not accepted: it is malformed, not signed by a trusted"
            + " key, expired, not yet valid, or not meant for this service.";

    private final ServerResponse.Context writers;

    public ProblemDetailsHandler(ServerCodecConfigurer codecs) {
        this.writers = new WritersContext(codecs.getWriters());
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        Problem problem = toProblem(failure, exchange);
        if (problem.status().is5xxServerError()) {
            log.error("request {} {} {} failed", RequestIdFilter.of(exchange), exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), failure);
        }
        else {
            log.debug("request {} rejected: {} ({})", RequestIdFilter.of(exchange), problem.body().getDetail(),
                    failure.getMessage());
        }
        return ServerResponse.status(problem.status())
                .headers(headers -> headers.addAll(problem.headers()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem.body())
                .flatMap(response -> response.writeTo(exchange, writers));
    }

    /** The problem a failure stands for; visible for handler tests. */
    static Problem toProblem(Throwable failure, ServerWebExchange exchange) {
        Problem problem = classify(failure);
        ProblemDetail body = problem.body();
        body.setInstance(URI.create(exchange.getRequest().getPath().value()));
        body.setProperty("requestId", RequestIdFilter.of(exchange));
        return problem;
    }

    /**
     * The problem a failure stands for, as this handler would answer it, for a response that reports several
     * outcomes in one body (a batch's per-item results): the same type, title, status, detail and errors, with the
     * given instance and request id. Server faults keep their generic detail.
     */
    public static ProblemDetail problemOf(Throwable failure, String instance, String requestId) {
        ProblemDetail body = classify(failure).body();
        body.setInstance(URI.create(instance));
        body.setProperty("requestId", requestId);
        return body;
    }

    private static Problem classify(Throwable failure) {
        if (failure instanceof ApiException.InvalidField invalid) {
            return validation(List.of(new FieldMessage(invalid.field(), invalid.getMessage())));
        }
        if (failure instanceof ApiException.RetryLater later) {
            Problem problem = Problem.of(later.status(), later.type(), later.getMessage());
            problem.headers().set(HttpHeaders.RETRY_AFTER, Long.toString(later.retryAfterSeconds()));
            problem.body().setProperty("retryAfterSeconds", later.retryAfterSeconds());
            return problem;
        }
        if (failure instanceof ApiException.Conflict conflict && conflict.location() != null) {
            Problem problem = Problem.of(conflict.status(), conflict.type(), conflict.getMessage());
            problem.headers().setLocation(conflict.location());
            return problem;
        }
        if (failure instanceof ApiException.RangeNotSatisfiable range) {
            Problem problem = Problem.of(range.status(), range.type(), range.getMessage());
            problem.headers().set(HttpHeaders.CONTENT_RANGE, "bytes */" + range.size());
            return problem;
        }
        if (failure instanceof ApiException api) {
            return Problem.of(api.status(), api.type(), api.getMessage());
        }
        if (failure instanceof AuthenticationException authentication) {
            // Fixed texts: the verifier's own messages name libraries, keys and claim values (logged at debug).
            return Problem.of(HttpStatus.UNAUTHORIZED, ProblemType.UNAUTHORIZED,
                    authentication instanceof OAuth2AuthenticationException ? INVALID_TOKEN : MISSING_CREDENTIALS);
        }
        if (failure instanceof AccessDeniedException denied) {
            return Problem.of(HttpStatus.FORBIDDEN, ProblemType.FORBIDDEN,
                    denied.getMessage() != null ? denied.getMessage() : "Access denied.");
        }
        if (failure instanceof WebExchangeBindException binding) {
            List<FieldMessage> errors = binding.getFieldErrors().stream()
                    .map(error -> new FieldMessage(error.getField(), messageOf(error)))
                    .sorted(Comparator.comparing(FieldMessage::field))
                    .toList();
            return validation(errors);
        }
        if (failure instanceof HandlerMethodValidationException validation) {
            // A validated body arrives as ParameterErrors: report its fields, not the parameter's name.
            List<FieldMessage> errors = validation.getParameterValidationResults().stream()
                    .flatMap(result -> result instanceof ParameterErrors body
                            ? body.getFieldErrors().stream().map(error -> new FieldMessage(error.getField(), messageOf(error)))
                            : result.getResolvableErrors().stream().map(error -> new FieldMessage(
                                    parameterName(result.getMethodParameter().getParameterName()), messageOf(error))))
                    .sorted(Comparator.comparing(FieldMessage::field))
                    .toList();
            return validation(errors);
        }
        if (causedBy(failure, DataBufferLimitException.class)) {
            return Problem.of(HttpStatus.CONTENT_TOO_LARGE, ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body is larger than this endpoint accepts.");
        }
        if (failure instanceof UnsupportedMediaTypeStatusException unsupported) {
            Problem problem = Problem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Content type '" + unsupported.getContentType() + "' is not supported here.");
            problem.headers().setAccept(unsupported.getSupportedMediaTypes());
            return problem;
        }
        if (failure instanceof NotAcceptableStatusException notAcceptable) {
            return Problem.of(HttpStatus.NOT_ACCEPTABLE, ProblemType.NOT_ACCEPTABLE,
                    "Acceptable representations: " + notAcceptable.getSupportedMediaTypes());
        }
        if (failure instanceof MethodNotAllowedException notAllowed) {
            Problem problem = Problem.of(HttpStatus.METHOD_NOT_ALLOWED, ProblemType.METHOD_NOT_ALLOWED,
                    "Method " + notAllowed.getHttpMethod() + " is not allowed here.");
            Set<HttpMethod> allowed = notAllowed.getSupportedMethods();
            problem.headers().setAllow(allowed);
            return problem;
        }
        if (failure instanceof ServerWebInputException input) {
            return Problem.of(HttpStatus.BAD_REQUEST, ProblemType.BAD_REQUEST, inputDetail(input));
        }
        if (failure instanceof DuplicateKeyException) {
            return Problem.of(HttpStatus.CONFLICT, ProblemType.CONFLICT,
                    "A record with the same unique key already exists.");
        }
        if (failure instanceof ResponseStatusException status) {
            return fromStatus(status.getStatusCode(), status.getReason());
        }
        return Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, ProblemType.INTERNAL,
                "An unexpected error occurred. Quote the request id when reporting it.");
    }

    private static Problem validation(List<FieldMessage> errors) {
        Problem problem = Problem.of(HttpStatus.BAD_REQUEST, ProblemType.VALIDATION,
                errors.size() == 1 ? "1 field is invalid." : errors.size() + " fields are invalid.");
        problem.body().setProperty("errors", errors.stream()
                .map(error -> Map.of("field", error.field(), "message", error.message()))
                .toList());
        return problem;
    }

    private static Problem fromStatus(HttpStatusCode code, String reason) {
        HttpStatus status = HttpStatus.resolve(code.value());
        if (status == null) {
            status = code.is4xxClientError() ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        ProblemType type = switch (status) {
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case UNAUTHORIZED -> ProblemType.UNAUTHORIZED;
            case FORBIDDEN -> ProblemType.FORBIDDEN;
            case CONFLICT -> ProblemType.CONFLICT;
            case TOO_MANY_REQUESTS -> ProblemType.TOO_MANY_REQUESTS;
            case SERVICE_UNAVAILABLE -> ProblemType.SERVICE_UNAVAILABLE;
            case CONTENT_TOO_LARGE -> ProblemType.PAYLOAD_TOO_LARGE;
            default -> status.is4xxClientError() ? ProblemType.BAD_REQUEST : ProblemType.INTERNAL;
        };
        // The framework's 404 and 405 reasons repeat the request URL, Host header included: say it generically.
        String detail = status.is5xxServerError() || reason == null || status == HttpStatus.NOT_FOUND
                ? type.title() + "." : reason;
        return Problem.of(status, type, detail);
    }

    /** Decoding errors name what was wrong without echoing the payload back. */
    private static String inputDetail(ServerWebInputException input) {
        if (input.getMethodParameter() != null && input.getMethodParameter().getParameterName() != null
                && input.getReason() != null && !input.getReason().startsWith("Failed to read HTTP message")) {
            return input.getReason();
        }
        return "The request body or parameters could not be read: check the JSON syntax and value types.";
    }

    private static String messageOf(MessageSourceResolvable error) {
        return error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid";
    }

    private static String messageOf(FieldError error) {
        return error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid";
    }

    private static String parameterName(String name) {
        return name != null ? name : "parameter";
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    record FieldMessage(String field, String message) {
    }

    record Problem(HttpStatus status, ProblemDetail body, HttpHeaders headers) {

        static Problem of(HttpStatus status, ProblemType type, String detail) {
            ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
            body.setType(type.uri());
            body.setTitle(type.title());
            return new Problem(status, body, new HttpHeaders());
        }
    }

    /** Boot's configured message writers, so problem bodies are serialised like every other response. */
    private record WritersContext(List<HttpMessageWriter<?>> messageWriters) implements ServerResponse.Context {

        @Override
        public List<ViewResolver> viewResolvers() {
            return List.of();
        }
    }
}
