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
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Flux;

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
        int maxItems = properties.ndjsonMaxItems();
        return Lines.of(body, Math.toIntExact(properties.maxLineLength().toBytes()))
                .filter(line -> !line.blank())
                .take(maxItems + 1L)
                .index()
                .map(indexed -> {
                    int index = Math.toIntExact(indexed.getT1());
                    Lines.Line line = indexed.getT2();
                    if (index == maxItems) {
                        return new Overflow(index);
                    }
                    if (line.bytes() == null) {
                        return new Rejected(index, line.number(), context.problem(new ApiException.TooLarge(
                                "The line is longer than " + properties.maxLineLength().toBytes() + " bytes.")));
                    }
                    JsonNode node;
                    try {
                        node = json.readTree(line.bytes());
                    }
                    catch (JacksonException unreadable) {
                        return new Rejected(index, line.number(), context.problem(
                                new ApiException.InvalidField("item", "is not valid JSON")));
                    }
                    return item(index, line.number(), node, context);
                });
    }

    private Entry item(int index, Long line, JsonNode node, ScanBatches.Context context) {
        if (node == null || !node.isObject()) {
            return new Rejected(index, line, context.problem(new ApiException.InvalidField("item",
                    "must be a JSON object with the fields of a scan")));
        }
        BatchItem item;
        try {
            item = json.treeToValue(node, BatchItem.class);
        }
        catch (JacksonException wrongType) {
            return new Rejected(index, line, context.problem(new ApiException.InvalidField(pathOf(wrongType),
                    "has the wrong type or format")));
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

    /** The JSON path of a field Jackson could not read, such as "result.score"; "item" when it names none. */
    static String pathOf(JacksonException failure) {
        if (!(failure instanceof DatabindException databind) || databind.getPath().isEmpty()) {
            return "item";
        }
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : databind.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "item" : path.toString();
    }

    /** Splits a byte stream into lines as it arrives, without holding more than one line of at most {@code max} bytes. */
    static final class Lines {

        /** A line of the body: its 1-based number and bytes (no line break); null bytes when it was too long. */
        record Line(long number, byte[] bytes, boolean blank) {
        }

        private final int max;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private boolean tooLong;
        private boolean blank = true;
        private long number;

        private Lines(int max) {
            this.max = max;
        }

        static Flux<Line> of(Flux<DataBuffer> body, int max) {
            return Flux.defer(() -> {
                Lines lines = new Lines(max);
                return body.concatMapIterable(lines::feed)
                        .concatWith(Flux.defer(() -> Flux.fromIterable(lines.finish())));
            }).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
        }

        List<Line> feed(DataBuffer buffer) {
            List<Line> complete = new ArrayList<>(2);
            try {
                while (buffer.readableByteCount() > 0) {
                    byte next = buffer.read();
                    if (next == '\n') {
                        complete.add(end());
                    }
                    else if (!tooLong) {
                        if (current.size() >= max) {
                            tooLong = true;
                            current.reset();
                        }
                        else {
                            current.write(next);
                        }
                        if (next != ' ' && next != '\t' && next != '\r') {
                            blank = false;
                        }
                    }
                }
            }
            finally {
                DataBufferUtils.release(buffer);
            }
            return complete;
        }

        /** The last line, when the body does not end with a line break. */
        List<Line> finish() {
            return current.size() > 0 || tooLong ? List.of(end()) : List.of();
        }

        private Line end() {
            number++;
            byte[] bytes = null;
            if (!tooLong) {
                bytes = current.toByteArray();
                int length = bytes.length;
                if (length > 0 && bytes[length - 1] == '\r') {
                    bytes = java.util.Arrays.copyOf(bytes, length - 1);
                }
            }
            Line line = new Line(number, bytes, !tooLong && blank);
            current.reset();
            tooLong = false;
            blank = true;
            return line;
        }
    }
}
