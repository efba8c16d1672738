package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * One client's event stream over a real HTTP connection, as a browser or {@code curl -N} would hold it: the events
 * (comments left out) queue up in arrival order, each with the moment it arrived, and the test reads them with a
 * bounded wait. Closing it drops the connection, as a client that goes away does.
 */
final class SseConnection implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() {
    };
    /** Stands for the end of the stream in the queue. */
    private static final Received END = new Received(null, 0);
    /** Far more than any test reads; stops a stream that never shows the awaited event from looping forever. */
    private static final int MOST_EVENTS = 10_000;

    /** An event and when it arrived ({@link System#nanoTime()}). */
    record Received(ServerSentEvent<String> event, long arrivedNanos) {

        String name() {
            return event.event();
        }

        String id() {
            return event.id();
        }

        String data() {
            return event.data();
        }
    }

    private final String path;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Disposable subscription;

    private SseConnection(String path, Flux<ServerSentEvent<String>> events) {
        this.path = path;
        this.subscription = events
                .filter(event -> event.event() != null || event.data() != null)
                .subscribe(event -> received.add(new Received(event, System.nanoTime())),
                        error -> {
                            failure.set(error);
                            received.add(END);
                        },
                        () -> received.add(END));
    }

    /**
     * Opens {@code path} and returns once the server has answered 200: by then the stream is registered with its
     * shared cursor (the server writes nothing before), so every change committed afterwards is for it.
     */
    static SseConnection open(String baseUrl, String path, String bearer, Map<String, String> headers) {
        Sinks.One<HttpStatusCode> answered = Sinks.one();
        Flux<ServerSentEvent<String>> events = client(baseUrl).get().uri(path)
                .headers(request -> {
                    request.setBearerAuth(bearer);
                    request.setAccept(List.of(MediaType.TEXT_EVENT_STREAM));
                    headers.forEach(request::add);
                })
                .exchangeToFlux(response -> {
                    answered.tryEmitValue(response.statusCode());
                    return response.statusCode().is2xxSuccessful() ? response.bodyToFlux(EVENTS)
                            : response.releaseBody().thenMany(Flux.empty());
                })
                .doOnError(answered::tryEmitError);
        SseConnection connection = new SseConnection(path, events);
        try {
            assertThat(answered.asMono().block(WAIT)).as("status of " + path).isEqualTo(HttpStatus.OK);
        }
        catch (RuntimeException | AssertionError failed) {
            connection.close();
            throw failed;
        }
        return connection;
    }

    static SseConnection open(String baseUrl, String path, String bearer) {
        return open(baseUrl, path, bearer, Map.of());
    }

    /** The next event, waiting at most {@link #WAIT}. */
    Received next() {
        return next(WAIT);
    }

    Received next(Duration wait) {
        Received next = poll(wait);
        if (next == null) {
            throw new AssertionError("no event on " + path + " within " + wait);
        }
        return next;
    }

    /** The next event, or null when none arrives within {@code wait}; an ended stream fails. */
    Received poll(Duration wait) {
        Received next;
        try {
            next = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + path, interrupted);
        }
        if (next == END) {
            received.add(END);
            throw new AssertionError(path + " ended" + (failure.get() == null ? "" : " with " + failure.get()), failure.get());
        }
        return next;
    }

    /** Events up to and including the first that {@code last} accepts, each within {@link #WAIT} of the one before. */
    List<Received> until(Predicate<Received> last) {
        List<Received> events = new ArrayList<>();
        while (events.size() < MOST_EVENTS) {
            Received event = next();
            events.add(event);
            if (last.test(event)) {
                return events;
            }
        }
        throw new AssertionError(path + " sent " + MOST_EVENTS + " events without the one awaited");
    }

    /** The server ends the stream (normally) within {@link #WAIT}, with no event left unread. */
    void awaitEnd() {
        Received next;
        try {
            next = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the end of " + path, interrupted);
        }
        assertThat(next).as("what came instead of the end of " + path).isSameAs(END);
        assertThat(failure.get()).as("how " + path + " ended").isNull();
    }

    @Override
    public void close() {
        subscription.dispose();
    }

    /** A connection of its own for every stream (no pool): closing the stream closes it. */
    private static WebClient client(String baseUrl) {
        return WebClient.builder().baseUrl(baseUrl)
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
                .build();
    }
}
