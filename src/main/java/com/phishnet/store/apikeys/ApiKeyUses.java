package com.phishnet.store.apikeys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.phishnet.store.apikeys.ApiKeyRequests.ApiKeyProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * When each API key was last used, without a write per request: an authenticated request only records its key's
 * time in memory (the latest per key); every {@code phishnet.api-keys.last-used-flush-interval} the recorded times
 * are written in one unordered bulk of {@code $max} updates, off the request path. {@code lastUsedAt} is therefore
 * up to one interval behind (and, after a crash, the uses of the last interval are lost). A failed flush is logged
 * and counted ({@value #FAILURES}), its times kept for the next one; it never fails a request. On shutdown the loop is
 * stopped (a flush in flight is cancelled and puts its times back) and a last flush of everything is tried, for a
 * few seconds at most, without blocking: the lifecycle waits for its callback. It stops after the web server's
 * graceful shutdown (a lower phase stops later), so uses of the requests still finishing then are written too.
 */
@Component
public class ApiKeyUses implements SmartLifecycle {

    public static final String FAILURES = "phishnet.api_keys.last_used.flush.failures";
    static final Duration SHUTDOWN_FLUSH_TIMEOUT = Duration.ofSeconds(5);
    /** A flush that takes longer is abandoned (its times kept) so the next tick is not held up. */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ApiKeyUses.class);

    /** One recorded use: the latest time the key authenticated a request on this instance. */
    record Use(String tenantId, String keyId, Instant at) {
    }

    private final ApiKeyRepository repository;
    private final ApiKeyProperties properties;
    private final Counter failures;
    private final Map<String, Use> pending = new ConcurrentHashMap<>();
    private Disposable running;

    ApiKeyUses(ApiKeyRepository repository, ApiKeyProperties properties, MeterRegistry meters) {
        this.repository = repository;
        this.properties = properties;
        this.failures = Counter.builder(FAILURES).description("Flushes of API-key last-use times that failed")
                .register(meters);
    }

    /** Records a use in memory; the latest time per key wins. Cheap, never blocks, never fails. */
    void record(String tenantId, String keyId, Instant at) {
        pending.merge(keyId, new Use(tenantId, keyId, at), ApiKeyUses::later);
    }

    /** The uses not yet written, for tests. */
    Map<String, Use> pending() {
        return Map.copyOf(pending);
    }

    @Override
    public void start() {
        start(Schedulers.parallel());
    }

    synchronized void start(Scheduler scheduler) {
        if (running == null) {
            running = loop(scheduler).subscribe();
        }
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    /** Best effort: the uses of the last interval, if the database answers within a few seconds; then {@code done}. */
    @Override
    public synchronized void stop(Runnable done) {
        if (running != null) {
            // Cancels a flush in flight, which puts the times it had taken back for the last flush below.
            running.dispose();
            running = null;
        }
        flush().timeout(SHUTDOWN_FLUSH_TIMEOUT)
                .doOnError(failure -> log.warn("Last-use times of API keys were not written at shutdown: {}",
                        failure.toString()))
                .onErrorComplete()
                .doFinally(signal -> done.run())
                .subscribe();
    }

    @Override
    public synchronized boolean isRunning() {
        return running != null;
    }

    @Override
    public int getPhase() {
        // Below the web server's graceful shutdown (DEFAULT_PHASE - 1024) and its stop (DEFAULT_PHASE - 2048).
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** One flush per interval, one at a time: a slow flush makes the next tick wait rather than overlap. */
    Flux<Integer> loop(Scheduler scheduler) {
        return Flux.interval(properties.lastUsedFlushInterval(), properties.lastUsedFlushInterval(), scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> flush(), 1);
    }

    /**
     * Writes what was recorded since the last flush; never errors. The written uses are taken out of the map first
     * (so uses recorded meanwhile wait for the next flush), and put back, unless newer ones arrived, if the write
     * fails or the flush is cancelled (shutdown). Writing a time twice does no harm: the update is a $max.
     */
    Mono<Integer> flush() {
        return Mono.defer(() -> {
            List<Use> taken = drain();
            if (taken.isEmpty()) {
                return Mono.just(0);
            }
            return Mono.defer(() -> repository.recordUses(taken))
                    .timeout(FLUSH_TIMEOUT)
                    .onErrorResume(failure -> {
                        failures.increment();
                        putBack(taken);
                        log.warn("Last-use times of {} API keys were not written; kept for the next flush: {}",
                                taken.size(), failure.toString());
                        return Mono.just(0);
                    })
                    // Outermost, so only a cancellation from downstream (the loop disposed), not the timeout's.
                    .doOnCancel(() -> putBack(taken));
        });
    }

    private void putBack(List<Use> taken) {
        taken.forEach(use -> pending.merge(use.keyId(), use, ApiKeyUses::later));
    }

    private List<Use> drain() {
        List<Use> taken = new ArrayList<>();
        for (String keyId : List.copyOf(pending.keySet())) {
            Use use = pending.remove(keyId);
            if (use != null) {
                taken.add(use);
            }
        }
        return taken;
    }

    private static Use later(Use one, Use other) {
        return other.at().isAfter(one.at()) ? other : one;
    }
}
