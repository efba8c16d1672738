package com.phishnet.store.platform.mongo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.MongoCommandException;
import com.mongodb.event.CommandEvent;
import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every MongoDB command that takes at least {@code phishnet.mongo.slow-commands.threshold} (200 ms by
 * default) at WARN, one line starting with {@value #MARKER}, and counts it in {@value #METER} (tags
 * {@code command}, {@code collection}, {@code status}). The line names the command, database, collection,
 * duration and outcome, and the command's {@link CommandShape shape}: keys and operators, never values.
 * <p>
 * The command document exists only in the started event, and its buffer belongs to the driver, so the shape is
 * taken there and kept by request id until the command succeeds or fails; the raw document is never kept. At most
 * {@code max-in-flight} commands are remembered: a command whose end never arrives is dropped once that many newer
 * ones have started. A failure is described by its class and server error code only, because server messages
 * can quote the values of the document they refused (a duplicate key names the key's value).
 * <p>
 * A getMore that waits for new data (change streams, {@code maxTimeMS} set) is allowed its wait on top of the
 * threshold: an idle stream is not a slow query.
 */
public class SlowCommandLog implements CommandListener {

    public static final String MARKER = "MONGODB_SLOW_COMMAND";
    public static final String METER = "phishnet.mongodb.slow.commands";
    static final String NO_COLLECTION = "none";
    static final String UNKNOWN = "unknown";

    private static final Logger log = LoggerFactory.getLogger(SlowCommandLog.class);

    private final long thresholdNanos;
    private final long thresholdMillis;
    private final MeterRegistry meters;
    private final Map<Integer, Started> inFlight;

    /** What is kept of a started command: nothing of its values. */
    private record Started(String collection, String shape, long allowanceNanos) {
    }

    public SlowCommandLog(SlowCommandProperties properties, MeterRegistry meters) {
        this.thresholdNanos = properties.threshold().toNanos();
        this.thresholdMillis = properties.threshold().toMillis();
        this.meters = meters;
        int cap = properties.maxInFlight();
        // Insertion order: when full, the oldest started command (the likeliest to have lost its end event) goes.
        this.inFlight = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Started> eldest) {
                return size() > cap;
            }
        };
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        BsonDocument command = event.getCommand();
        Started started;
        try {
            started = new Started(CommandShape.collection(event.getCommandName(), command),
                    CommandShape.of(event.getCommandName(), command), allowance(event.getCommandName(), command));
        }
        catch (RuntimeException unreadable) {
            // A listener must never fail a command: an odd document is logged without its shape.
            started = new Started(null, UNKNOWN, 0);
        }
        synchronized (inFlight) {
            inFlight.put(event.getRequestId(), started);
        }
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent event) {
        ended(event, event.getElapsedTime(TimeUnit.NANOSECONDS), "SUCCESS", null);
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        ended(event, event.getElapsedTime(TimeUnit.NANOSECONDS), "FAILED", describe(event.getThrowable()));
    }

    /** How many started commands are remembered now; for tests. */
    int inFlight() {
        synchronized (inFlight) {
            return inFlight.size();
        }
    }

    private void ended(CommandEvent event, long elapsedNanos, String status, String error) {
        Started started;
        synchronized (inFlight) {
            started = inFlight.remove(event.getRequestId());
        }
        long allowance = started == null ? 0 : started.allowanceNanos();
        if (elapsedNanos < thresholdNanos + allowance) {
            return;
        }
        String collection = started == null ? UNKNOWN : started.collection() == null ? NO_COLLECTION : started.collection();
        String shape = started == null ? UNKNOWN : started.shape();
        Counter.builder(METER)
                .description("MongoDB commands that took at least phishnet.mongo.slow-commands.threshold")
                .tag("command", event.getCommandName())
                .tag("collection", collection)
                .tag("status", status)
                .register(meters)
                .increment();
        long millis = Duration.ofNanos(elapsedNanos).toMillis();
        if (error == null) {
            log.warn("{} command={} database={} collection={} durationMs={} thresholdMs={} status={} shape={}", MARKER,
                    event.getCommandName(), event.getDatabaseName(), collection, millis, thresholdMillis, status, shape);
        }
        else {
            log.warn("{} command={} database={} collection={} durationMs={} thresholdMs={} status={} error={} shape={}",
                    MARKER, event.getCommandName(), event.getDatabaseName(), collection, millis, thresholdMillis, status,
                    error, shape);
        }
    }

    /** The wait a getMore asked the server for (maxTimeMS); 0 for every other command. */
    private static long allowance(String commandName, BsonDocument command) {
        if (!"getMore".equals(commandName)) {
            return 0;
        }
        BsonValue maxTime = command.get("maxTimeMS");
        return maxTime != null && maxTime.isNumber() ? TimeUnit.MILLISECONDS.toNanos(maxTime.asNumber().longValue()) : 0;
    }

    /** The failure's kind and server code, never its message. */
    static String describe(Throwable failure) {
        if (failure instanceof MongoCommandException command) {
            return command.getClass().getSimpleName() + "(" + command.getErrorCode() + "/" + command.getErrorCodeName() + ")";
        }
        return failure == null ? UNKNOWN : failure.getClass().getSimpleName();
    }
}
