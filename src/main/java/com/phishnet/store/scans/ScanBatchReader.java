package com.phishnet.store.scans;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;

import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.scans.ScanBatchRequests.BatchItem;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import org.reactivestreams.Subscription;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Reads a batch at the HTTP edge, before any service is called: the JSON envelope as a whole (malformed, empty or
 * too many items: the whole request's 400 or 413), then each item on its own with the application's JSON rules and
 * the single route's bean validation, so a wrong item becomes that item's {@code invalid} result with its problem.
 * NDJSON bodies are split into lines as they arrive, each line bounded in length.
 */
@Component
public class ScanBatchReader {

    static final String MALFORMED = "The batch could not be read: it must be a JSON object {\"items\": [...]}.";

    private final JsonMapper json;
    private final Validator validator;
    private final ScanBatchProperties properties;

    public ScanBatchReader(JsonMapper json, Validator validator, ScanBatchProperties properties) {
        this.json = json;
        this.validator = validator;
        this.properties = properties;
    }

    /** One item of a batch as read: ready for ingestion, rejected with its problem, or past the item limit. */
    public sealed interface Entry permits Ready, Rejected, Overflow {
        int index();
    }

    /** A valid item: its scan and idempotency key (null when it has none). {@code line} is NDJSON's, else null. */
    public record Ready(int index, Long line, String key, IngestScan scan) implements Entry {
    }

    public record Rejected(int index, Long line, Map<String, Object> problem) implements Entry {
    }

    /** NDJSON: the body holds more items than one request may; nothing from here on is read. */
    public record Overflow(int index) implements Entry {
    }

    /**
     * The items of a JSON body, each read on its own. The whole request fails, before anything is stored, when the
     * body is not a JSON object with an {@code items} array (400), the array is empty (400) or holds more than
     * {@code max-items} (413).
     */
    public List<Entry> envelope(byte[] body, ScanBatches.Context context) {
        JsonNode root;
        try {
            root = json.readTree(body);
        }
        catch (JacksonException unreadable) {
            throw new ServerWebInputException(MALFORMED);
        }
        if (root == null || !root.isObject()) {
            throw new ServerWebInputException(MALFORMED);
        }
        JsonNode items = root.get("items");
        if (items == null || items.isNull()) {
            throw new ApiException.InvalidField("items", "must not be null");
        }
        if (!items.isArray()) {
            throw new ServerWebInputException(MALFORMED);
        }
        if (items.isEmpty()) {
            throw new ApiException.InvalidField("items", "must hold at least 1 item");
        }
        if (items.size() > properties.maxItems()) {
            throw new ApiException.TooLarge("A batch holds at most " + properties.maxItems() + " items, this one "
                    + items.size() + ": nothing was stored. Split it, or send it as application/x-ndjson.");
        }
        List<Entry> entries = new ArrayList<>(items.size());
        for (int index = 0; index < items.size(); index++) {
            entries.add(item(index, null, items.get(index), context));
        }
        return entries;
    }

    /**
     * The items of an NDJSON body, one per non-blank line, read as the subscriber asks for them. A line that is not
     * a valid item, or longer than {@code max-line-length}, is that item's {@code invalid}; after
     * {@code ndjson-max-items} items an {@link Overflow} ends the flux and the body is not read further.
     */
    public Flux<Entry> lines(Flux<DataBuffer> body, ScanBatches.Context context) {
        int maxLines = properties.ndjsonMaxItems();
        return Flux.defer(() -> {
            int[] items = {0};
            return Lines.of(body, Math.toIntExact(properties.maxLineLength().toBytes()))
                    .take(maxLines + 1L)
                    .<Entry>handle((line, sink) -> {
                        // Blank lines count towards the limit too: a body of blank lines is not read for ever.
                        if (line.number() > maxLines) {
                            sink.next(new Overflow(items[0]));
                            sink.complete();
                            return;
                        }
                        if (!line.blank()) {
                            sink.next(line(items[0]++, line, context));
                        }
                    });
        });
    }

    /**
     * The items of a JSON body, read and validated off the event loop (up to {@code max-body-size} of JSON is seconds
     * of CPU at worst): see {@link #envelope}.
     */
    public Mono<List<Entry>> envelopeOffLoop(byte[] body, ScanBatches.Context context) {
        return Mono.fromCallable(() -> envelope(body, context)).subscribeOn(Schedulers.boundedElastic());
    }

    private Entry line(int index, Lines.Line line, ScanBatches.Context context) {
        if (line.bytes() == null) {
            return new Rejected(index, line.number(), context.problem(new ApiException.TooLarge(
                    "The line is longer than " + properties.maxLineLength().toBytes() + " bytes.")));
        }
        JsonNode node;
        try {
            node = json.readTree(line.bytes());
        }
        catch (JacksonException unreadable) {
            return new Rejected(index, line.number(), context.problem(unreadable()));
        }
        return item(index, line.number(), node, context);
    }

    /** What the single route answers for a body it cannot read (not JSON, not an object, a value of the wrong type). */
    static ServerWebInputException unreadable() {
        return new ServerWebInputException("Failed to read HTTP message");
    }

    private Entry item(int index, Long line, JsonNode node, ScanBatches.Context context) {
        if (node == null || !node.isObject()) {
            return new Rejected(index, line, context.problem(unreadable()));
        }
        BatchItem item;
        try {
            item = json.treeToValue(node, BatchItem.class);
        }
        catch (JacksonException wrongType) {
            return new Rejected(index, line, context.problem(unreadable()));
        }
        Set<ConstraintViolation<BatchItem>> violations = validator.validate(item);
        if (!violations.isEmpty()) {
            List<Map<String, String>> errors = violations.stream()
                    .map(violation -> Map.of("field", field(violation.getPropertyPath()), "message",
                            violation.getMessage()))
                    .sorted(Comparator.comparing((Map<String, String> error) -> error.get("field"))
                            .thenComparing(error -> error.get("message")))
                    .toList();
            return new Rejected(index, line, context.validation(errors));
        }
        return new Ready(index, line, item.idempotencyKey(), item.scan());
    }

    /** "email.recipients[0]", as Spring names the fields of the single route's 400. */
    static String field(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) {
                field.append(field.isEmpty() ? "" : ".").append(name);
            }
        }
        return field.isEmpty() ? "item" : field.toString();
    }

    /**
     * An NDJSON request body whose reader may stop before its end (the item limit, a refused budget): what it leaves
     * is then read and discarded, up to {@code maxDiscarded} bytes, instead of left unread. A server that closes a
     * connection with unread data in it sends a reset, and the client, still writing its body (a half-duplex one
     * reads nothing before it is done), gets a broken pipe instead of the summary line; Reactor Netty closes so once
     * the answer is written when the client asked for {@code Connection: close}. {@link #rest} completes when the body
     * was read to its end, or {@code maxDiscarded} bytes of it were discarded (then it is cancelled: past that bound
     * the client may lose the answer), or it failed. One subscriber only, as the request body itself.
     */
    public static final class Body {

        private final Flux<DataBuffer> source;
        private final long maxDiscarded;
        private final Sinks.Empty<Void> done = Sinks.empty();
        private volatile boolean subscribed;

        private Body(Flux<DataBuffer> source, long maxDiscarded) {
            this.source = source;
            this.maxDiscarded = maxDiscarded;
        }

        public static Body of(Flux<DataBuffer> source, long maxDiscarded) {
            return new Body(source, maxDiscarded);
        }

        /** The body's buffers; cancelling stops them reaching the subscriber, not the reading. */
        public Flux<DataBuffer> content() {
            return new Flux<>() {
                @Override
                public void subscribe(CoreSubscriber<? super DataBuffer> actual) {
                    subscribed = true;
                    source.subscribe(new Draining(actual));
                }
            };
        }

        /** Completes once nothing more of the body will be read; at once when {@link #content} was never subscribed. */
        public Mono<Void> rest() {
            return Mono.defer(() -> subscribed ? done.asMono() : Mono.empty());
        }

        private final class Draining implements CoreSubscriber<DataBuffer>, Subscription {

            private final CoreSubscriber<? super DataBuffer> actual;
            private Subscription upstream;
            private volatile boolean draining;
            /** Only touched in onNext, which the upstream serializes. */
            private long discarded;

            Draining(CoreSubscriber<? super DataBuffer> actual) {
                this.actual = actual;
            }

            @Override
            public reactor.util.context.Context currentContext() {
                return actual.currentContext();
            }

            @Override
            public void onSubscribe(Subscription subscription) {
                upstream = subscription;
                actual.onSubscribe(this);
            }

            @Override
            public void onNext(DataBuffer buffer) {
                if (!draining) {
                    actual.onNext(buffer);
                    return;
                }
                discarded += buffer.readableByteCount();
                DataBufferUtils.release(buffer);
                if (discarded > maxDiscarded) {
                    upstream.cancel();
                    done.tryEmitEmpty();
                }
            }

            @Override
            public void onError(Throwable failure) {
                if (!draining) {
                    actual.onError(failure);
                }
                done.tryEmitEmpty();
            }

            @Override
            public void onComplete() {
                if (!draining) {
                    actual.onComplete();
                }
                done.tryEmitEmpty();
            }

            @Override
            public void request(long n) {
                if (!draining) {
                    upstream.request(n);
                }
            }

            @Override
            public void cancel() {
                if (!draining) {
                    draining = true;
                    upstream.request(Long.MAX_VALUE);
                }
            }
        }
    }

    /** Splits a byte stream into lines as it arrives, without holding more than one line of at most {@code max} bytes. */
    static final class Lines {

        /** A line of the body: its 1-based number and bytes (no line break); null bytes when it was too long. */
        record Line(long number, byte[] bytes, boolean blank) {
        }

        private final int max;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private boolean tooLong;
        private boolean pendingCr;
        private boolean blank = true;
        private long number;

        private Lines(int max) {
            this.max = max;
        }

        static Flux<Line> of(Flux<DataBuffer> body, int max) {
            return Flux.defer(() -> {
                Lines lines = new Lines(max);
                return body.concatMapIterable(lines::feed, 1)
                        .concatWith(Flux.defer(() -> Flux.fromIterable(lines.finish())));
            }).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
        }

        List<Line> feed(DataBuffer buffer) {
            List<Line> complete = new ArrayList<>(2);
            try {
                while (buffer.readableByteCount() > 0) {
                    byte next = buffer.read();
                    if (next == '\n') {
                        // A CR right before the LF ends the line with it: it never counts towards the length.
                        pendingCr = false;
                        complete.add(end());
                        continue;
                    }
                    if (pendingCr) {
                        pendingCr = false;
                        append((byte) '\r');
                    }
                    if (next == '\r') {
                        pendingCr = true;
                    }
                    else {
                        append(next);
                    }
                }
            }
            finally {
                DataBufferUtils.release(buffer);
            }
            return complete;
        }

        private void append(byte next) {
            if (tooLong) {
                return;
            }
            if (current.size() >= max) {
                tooLong = true;
                current.reset();
                return;
            }
            current.write(next);
            if (next != ' ' && next != '\t' && next != '\r') {
                blank = false;
            }
        }

        /** The last line, when the body does not end with a line break (a CR at the very end ends it too). */
        List<Line> finish() {
            pendingCr = false;
            return current.size() > 0 || tooLong ? List.of(end()) : List.of();
        }

        private Line end() {
            number++;
            Line line = new Line(number, tooLong ? null : current.toByteArray(), !tooLong && blank);
            current.reset();
            tooLong = false;
            blank = true;
            return line;
        }
    }
}
