package com.phishnet.store.streams;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * Bounds what streams may hold on this instance: open streams per caller (429) and in all (503), and catch-up
 * cursors of resuming clients per caller (429) and in all (503). A refused client is told when to retry.
 */
@Component
public class StreamLimits {

    private final StreamProperties properties;
    private final StreamMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger catchUps = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perPrincipal = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> catchUpsPerPrincipal = new ConcurrentHashMap<>();

    public StreamLimits(StreamProperties properties, StreamMetrics metrics) {
        this.properties = properties;
        this.metrics = metrics;
    }

    /** A place for one more stream of the caller, or the refusal; closing the permit gives the place back. */
    Permit open(Caller caller) {
        String principal = caller.tenantId() + "\u0000" + caller.subject();
        if (perPrincipal.merge(principal, 1, Integer::sum) > properties.maxPerPrincipal()) {
            release(principal);
            throw new ApiException.TooManyRequests("You already have " + properties.maxPerPrincipal()
                    + " streams open; close one or retry later.", retryAfterSeconds());
        }
        if (open.incrementAndGet() > properties.maxPerInstance()) {
            open.decrementAndGet();
            release(principal);
            throw new ApiException.Unavailable("This instance follows as many streams as it may; retry later.",
                    retryAfterSeconds());
        }
        return new Permit(principal);
    }

    int openStreams() {
        return open.get();
    }

    private void releaseCatchUp(String principal) {
        catchUpsPerPrincipal.computeIfPresent(principal, (key, count) -> count <= 1 ? null : count - 1);
    }

    private void release(String principal) {
        perPrincipal.computeIfPresent(principal, (key, count) -> count <= 1 ? null : count - 1);
    }

    private long retryAfterSeconds() {
        return Math.max(1, properties.retryAfter().toSeconds());
    }

    /** One open stream; idempotent to close. */
    final class Permit implements AutoCloseable {

        private final String principal;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean catchingUp = new AtomicBoolean();

        private Permit(String principal) {
            this.principal = principal;
        }

        /** A catch-up cursor for this stream, or a 503 when the instance has as many as it may. */
        void startCatchUp() {
            // One caller's resumes cannot take every catch-up place of the instance from the others.
            if (catchUpsPerPrincipal.merge(principal, 1, Integer::sum) > properties.maxCatchUpsPerPrincipal()) {
                releaseCatchUp(principal);
                throw new ApiException.TooManyRequests("You are already resuming " + properties.maxCatchUpsPerPrincipal()
                        + " streams; retry with the same Last-Event-ID later.", retryAfterSeconds());
            }
            if (catchUps.incrementAndGet() > properties.maxCatchUps()) {
                catchUps.decrementAndGet();
                releaseCatchUp(principal);
                throw new ApiException.Unavailable("This instance is replaying as many resumed streams as it may;"
                        + " retry with the same Last-Event-ID later.", retryAfterSeconds());
            }
            catchingUp.set(true);
            metrics.catchUp(1);
        }

        void catchUpDone() {
            if (catchingUp.compareAndSet(true, false)) {
                catchUps.decrementAndGet();
                releaseCatchUp(principal);
                metrics.catchUp(-1);
            }
        }

        @Override
        public void close() {
            catchUpDone();
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
                release(principal);
            }
        }
    }
}
