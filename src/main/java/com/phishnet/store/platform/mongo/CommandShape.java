package com.phishnet.store.platform.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What the slow-command log may say about a MongoDB command: its collection, and the shape of the parts that
 * select or change documents, with every value replaced by {@value #VALUE}. Keys and operators stay ({@code $in},
 * {@code $gt}, {@code $set}), so a slow query can be matched to its index; values never do, so no token, address,
 * subject, hash or id reaches the log. Only the parts named per command are read; everything else in the command
 * (session id, cluster time, transaction number, {@code $db}, signatures, options) is never looked at. An insert
 * shows how many documents it carried, never what they held. A command this class does not know shows nothing.
 * <p>
 * What survives besides keys: sort and index directions ({@code 1}, {@code -1}), projection flags, index and
 * {@code $meta} keywords, and in aggregation expressions field paths such as {@code "$verdict"} (names, not
 * data). A key that does not look like a field name (an address, a long hex string, punctuation) becomes
 * {@value #VALUE} as well. Work and output are bounded: at most {@value #MAX_NODES} documents and arrays are
 * visited, {@value #MAX_ARRAY_ELEMENTS} elements of one array (the rest counted), {@value #MAX_DEPTH} levels deep,
 * and the text is cut at {@value #MAX_LENGTH} characters.
 */
final class CommandShape {

    static final String VALUE = "?";
    static final String MORE = "...";
    static final int MAX_LENGTH = 1000;
    static final int MAX_DEPTH = 8;
    static final int MAX_NODES = 2000;
    /** Elements of one array looked at; the rest are only counted (a long $in costs nothing per element). */
    static final int MAX_ARRAY_ELEMENTS = 100;
    private static final java.util.Set<String> FILTERS_IN_STAGES = java.util.Set.of("$literal", "restrictSearchWithMatch",
            "query", "filter");
    /** Runs of distinct element shapes shown per array; the rest is summed up as "... (n more)". */
    static final int MAX_GROUPS = 10;

    /** Commands whose first value names the collection they work on (getMore names it in "collection"). */
    private static final Set<String> WITH_COLLECTION = Set.of("find", "aggregate", "count", "distinct", "insert",
            "update", "delete", "findAndModify", "createIndexes", "dropIndexes", "listIndexes", "drop", "create",
            "collMod", "killCursors", "collStats", "validate");

    private static final Pattern OPERATOR = Pattern.compile("\\$[A-Za-z][A-Za-z0-9]{0,40}");
    private static final Pattern FIELD_SEGMENT =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}|\\d{1,6}|\\$|\\$\\[[A-Za-z0-9_]{0,32}]");
    private static final Pattern LONG_HEX = Pattern.compile("[0-9A-Fa-f]{16,}");
    private static final Pattern FIELD_PATH =
            Pattern.compile("\\$\\$?[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,8}");
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}");
    /** Index types and $meta names: words of the query language, never data. */
    private static final Set<String> KEYWORDS = Set.of("text", "2d", "2dsphere", "hashed", "textScore",
            "searchScore", "searchHighlights", "indexKey", "recordId", "randVal", "geoNearDistance", "geoNearPoint");

    /** How the values under a key are shown. */
    private enum Mode {
        /** Query and update documents: every value hidden. */
        FILTER,
        /** Sorts, index keys and hints: 1 and -1 and index keywords kept. */
        DIRECTIONS,
        /** Projections: 0, 1, booleans and $meta keywords kept. */
        PROJECTION,
        /** Aggregation expressions: field paths, -1, 0, 1 and booleans kept. */
        EXPRESSION
    }

    private final StringBuilder out = new StringBuilder();
    private int nodes;

    private CommandShape() {
    }

    /** The collection the command works on, {@code null} for none; a name that does not look like one is "?". */
    static String collection(String commandName, BsonDocument command) {
        BsonValue value = "getMore".equals(commandName) ? command.get("collection")
                : WITH_COLLECTION.contains(commandName) ? command.get(commandName) : null;
        if (value == null || !value.isString()) {
            return null;
        }
        String name = value.asString().getValue();
        return COLLECTION.matcher(name).matches() ? name : VALUE;
    }

    /** The redacted shape, e.g. {@code {filter: {tenantId: ?, verdict: {$in: [? (2)]}}, sort: {scannedAt: -1}}}. */
    static String of(String commandName, BsonDocument command) {
        CommandShape shape = new CommandShape();
        shape.command(commandName, command);
        return shape.text();
    }

    private void command(String name, BsonDocument command) {
        List<Runnable> parts = new ArrayList<>();
        switch (name) {
            case "find" -> {
                part(parts, command, "filter", Mode.FILTER);
                part(parts, command, "sort", Mode.DIRECTIONS);
                part(parts, command, "projection", Mode.PROJECTION);
                part(parts, command, "hint", Mode.DIRECTIONS);
            }
            case "aggregate" -> pipelinePart(parts, command, "pipeline");
            case "count" -> part(parts, command, "query", Mode.FILTER);
            case "distinct" -> {
                fieldNamePart(parts, command, "key");
                part(parts, command, "query", Mode.FILTER);
            }
            case "update" -> statementsPart(parts, command, "updates", this::updateStatement);
            case "delete" -> statementsPart(parts, command, "deletes", this::deleteStatement);
            case "insert" -> countPart(parts, command, "documents");
            case "findAndModify" -> {
                part(parts, command, "query", Mode.FILTER);
                part(parts, command, "sort", Mode.DIRECTIONS);
                part(parts, command, "fields", Mode.PROJECTION);
                updatePart(parts, command, "update");
                part(parts, command, "arrayFilters", Mode.FILTER);
                flagParts(parts, command, "remove", "new", "upsert");
            }
            case "createIndexes" -> statementsPart(parts, command, "indexes", this::indexStatement);
            case "listCollections" -> part(parts, command, "filter", Mode.FILTER);
            default -> {
                // getMore, commitTransaction, abortTransaction, endSessions, hello, ...: the name says it all.
            }
        }
        document(parts);
    }

    // ---- parts of a command ----------------------------------------------------------------------------------

    private void part(List<Runnable> parts, BsonDocument command, String key, Mode mode) {
        BsonValue value = command.get(key);
        if (value != null) {
            parts.add(() -> entry(key, () -> value(value, mode, 1)));
        }
    }

    private void pipelinePart(List<Runnable> parts, BsonDocument command, String key) {
        BsonValue value = command.get(key);
        if (value != null) {
            parts.add(() -> entry(key, () -> pipeline(value, 1)));
        }
    }

    /** A replacement or operator document (every value hidden), or an update pipeline. */
    private void updatePart(List<Runnable> parts, BsonDocument command, String key) {
        BsonValue value = command.get(key);
        if (value != null) {
            parts.add(() -> entry(key, () -> update(value, 1)));
        }
    }

    private void fieldNamePart(List<Runnable> parts, BsonDocument command, String key) {
        BsonValue value = command.get(key);
        if (value != null) {
            parts.add(() -> entry(key, () -> out.append(value.isString() ? key(value.asString().getValue()) : VALUE)));
        }
    }

    private void countPart(List<Runnable> parts, BsonDocument command, String key) {
        BsonValue value = command.get(key);
        if (value != null) {
            parts.add(() -> entry(key, () -> out.append(value.isArray() ? Integer.toString(value.asArray().size()) : VALUE)));
        }
    }

    /** Flags such as upsert or multi: options the code chose, not data, so shown as they are. */
    private void flagParts(List<Runnable> parts, BsonDocument command, String... keys) {
        for (String key : keys) {
            BsonValue value = command.get(key);
            if (value != null) {
                parts.add(() -> entry(key, () -> out.append(value.isBoolean() ? Boolean.toString(value.asBoolean().getValue())
                        : VALUE)));
            }
        }
    }

    /** Update, delete and index statements: each statement's shape, runs of equal ones counted. */
    private void statementsPart(List<Runnable> parts, BsonDocument command, String key,
            java.util.function.BiConsumer<BsonDocument, Integer> statement) {
        BsonValue value = command.get(key);
        if (value != null) {
            parts.add(() -> entry(key, () -> array(value, 1, (element, depth) -> {
                if (element.isDocument()) {
                    statement.accept(element.asDocument(), depth);
                }
                else {
                    out.append(VALUE);
                }
            })));
        }
    }

    private void updateStatement(BsonDocument statement, int depth) {
        List<Runnable> parts = new ArrayList<>();
        nested(parts, statement, "q", (value) -> value(value, Mode.FILTER, depth + 1));
        nested(parts, statement, "u", (value) -> update(value, depth + 1));
        nested(parts, statement, "arrayFilters", (value) -> value(value, Mode.FILTER, depth + 1));
        nested(parts, statement, "hint", (value) -> value(value, Mode.DIRECTIONS, depth + 1));
        flagParts(parts, statement, "upsert", "multi");
        document(parts);
    }

    private void deleteStatement(BsonDocument statement, int depth) {
        List<Runnable> parts = new ArrayList<>();
        nested(parts, statement, "q", (value) -> value(value, Mode.FILTER, depth + 1));
        nested(parts, statement, "hint", (value) -> value(value, Mode.DIRECTIONS, depth + 1));
        // limit is 0 (all) or 1 (one): the code's choice.
        nested(parts, statement, "limit", (value) -> out.append(literal(value, Mode.PROJECTION)));
        document(parts);
    }

    private void indexStatement(BsonDocument index, int depth) {
        List<Runnable> parts = new ArrayList<>();
        nested(parts, index, "key", (value) -> value(value, Mode.DIRECTIONS, depth + 1));
        nested(parts, index, "partialFilterExpression", (value) -> value(value, Mode.FILTER, depth + 1));
        flagParts(parts, index, "unique", "sparse");
        document(parts);
    }

    private void nested(List<Runnable> parts, BsonDocument document, String key, java.util.function.Consumer<BsonValue> shape) {
        BsonValue value = document.get(key);
        if (value != null) {
            parts.add(() -> entry(key, () -> shape.accept(value)));
        }
    }

    private void update(BsonValue value, int depth) {
        if (value.isArray()) {
            pipeline(value, depth);
        }
        else {
            value(value, Mode.FILTER, depth);
        }
    }

    // ---- values ----------------------------------------------------------------------------------------------

    private void value(BsonValue value, Mode mode, int depth) {
        if (!value.isDocument() && !value.isArray()) {
            // Cheap, and never counted against the budget: a long $in list still reads as [? (n)].
            out.append(literal(value, mode));
        }
        else if (value.isArray()) {
            array(value, depth, (element, elementDepth) -> value(element, mode, elementDepth));
        }
        else if (exhausted(depth)) {
            out.append(MORE);
        }
        else {
            BsonDocument document = value.asDocument();
            List<Runnable> entries = new ArrayList<>();
            for (Map.Entry<String, BsonValue> entry : document.entrySet()) {
                String key = entry.getKey();
                BsonValue child = entry.getValue();
                entries.add(() -> {
                    if (mode == Mode.EXPRESSION && "pipeline".equals(key)) {
                        entry(key(key), () -> pipeline(child, depth + 1));
                    }
                    else {
                        entry(key(key), () -> value(child, childMode(mode, key), depth + 1));
                    }
                });
            }
            document(entries);
        }
    }

    /** An aggregation pipeline: each stage with the mode its operator calls for. */
    private void pipeline(BsonValue value, int depth) {
        if (!value.isArray()) {
            value(value, Mode.FILTER, depth);
            return;
        }
        array(value, depth, (element, elementDepth) -> {
            if (!element.isDocument() || exhausted(elementDepth)) {
                out.append(element.isDocument() ? MORE : VALUE);
                return;
            }
            List<Runnable> stages = new ArrayList<>();
            for (Map.Entry<String, BsonValue> stage : element.asDocument().entrySet()) {
                String name = stage.getKey();
                BsonValue body = stage.getValue();
                stages.add(() -> entry(key(name), () -> stage(name, body, elementDepth + 1)));
            }
            document(stages);
        });
    }

    private void stage(String name, BsonValue body, int depth) {
        switch (name) {
            case "$match" -> value(body, Mode.FILTER, depth);
            case "$sort" -> value(body, Mode.DIRECTIONS, depth);
            case "$facet" -> {
                if (!body.isDocument() || exhausted(depth)) {
                    value(body, Mode.FILTER, depth);
                    return;
                }
                List<Runnable> facets = new ArrayList<>();
                body.asDocument().forEach((facet, pipeline) ->
                        facets.add(() -> entry(key(facet), () -> pipeline(pipeline, depth + 1))));
                document(facets);
            }
            default -> value(body, Mode.EXPRESSION, depth);
        }
    }

    private static Mode childMode(Mode mode, String key) {
        return switch (mode) {
            case FILTER -> "$expr".equals(key) ? Mode.EXPRESSION : Mode.FILTER;
            case PROJECTION -> "$elemMatch".equals(key) || "$slice".equals(key) ? Mode.FILTER : Mode.PROJECTION;
            // Match filters inside stages ($graphLookup, $geoNear, $vectorSearch) hold values as a $match does.
            case EXPRESSION -> FILTERS_IN_STAGES.contains(key) ? Mode.FILTER : Mode.EXPRESSION;
            case DIRECTIONS -> Mode.DIRECTIONS;
        };
    }

    /** What may be shown of a single value in this mode; {@value #VALUE} for everything that could be data. */
    private static String literal(BsonValue value, Mode mode) {
        if (mode == Mode.FILTER) {
            return VALUE;
        }
        if (value.isNumber()) {
            double number = value.asNumber().doubleValue();
            boolean sign = number == 1 || number == -1;
            boolean kept = mode == Mode.DIRECTIONS ? sign : sign || number == 0;
            if (mode == Mode.PROJECTION && number == -1) {
                kept = false;
            }
            return kept ? Integer.toString((int) number) : VALUE;
        }
        if (value.isBoolean() && mode != Mode.DIRECTIONS) {
            return Boolean.toString(value.asBoolean().getValue());
        }
        if (value.isString()) {
            String text = value.asString().getValue();
            if (KEYWORDS.contains(text) || mode == Mode.EXPRESSION && FIELD_PATH.matcher(text).matches()) {
                return "\"" + text + "\"";
            }
        }
        return VALUE;
    }

    /** A key as it may be shown: operators as they are, field names segment by segment, anything else "?". */
    static String key(String key) {
        if (OPERATOR.matcher(key).matches()) {
            return key;
        }
        if (key.isEmpty() || key.length() > 200) {
            return VALUE;
        }
        String[] segments = key.split("\\.", -1);
        StringBuilder shown = new StringBuilder(key.length());
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (i > 0) {
                shown.append('.');
            }
            if (!FIELD_SEGMENT.matcher(segment).matches() || LONG_HEX.matcher(segment).matches()) {
                // Data with dots in it (an address, a domain) spans segments: nothing after this one is shown.
                return shown.append(VALUE).toString();
            }
            shown.append(segment);
        }
        return shown.toString();
    }

    // ---- text ------------------------------------------------------------------------------------------------

    private interface ElementShape {
        void write(BsonValue element, int depth);
    }

    /**
     * An array: every element's shape, consecutive equal shapes as one with their count ({@code [? (12)]} for twelve
     * hidden values), at most {@value #MAX_GROUPS} runs and then how many elements were left out.
     */
    private void array(BsonValue value, int depth, ElementShape shape) {
        if (!value.isArray()) {
            value(value, Mode.FILTER, depth);
            return;
        }
        if (exhausted(depth)) {
            out.append(MORE);
            return;
        }
        BsonArray array = value.asArray();
        List<String> runs = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int shown = 0;
        int size = array.size();
        int visited = 0;
        boolean full = false;
        for (BsonValue element : array) {
            if (full || visited++ == MAX_ARRAY_ELEMENTS) {
                break;
            }
            int mark = out.length();
            shape.write(element, depth + 1);
            String text = out.substring(mark);
            out.setLength(mark);
            if (!runs.isEmpty() && runs.get(runs.size() - 1).equals(text)) {
                counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
            }
            else if (runs.size() == MAX_GROUPS) {
                full = true;
                continue;
            }
            else {
                runs.add(text);
                counts.add(1);
            }
            shown++;
        }
        out.append('[');
        for (int i = 0; i < runs.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(runs.get(i));
            if (counts.get(i) > 1) {
                out.append(" (").append(counts.get(i)).append(')');
            }
        }
        if (shown < size) {
            out.append(runs.isEmpty() ? "" : ", ").append(MORE).append(" (").append(size - shown).append(" more)");
        }
        out.append(']');
    }

    private void document(List<Runnable> entries) {
        out.append('{');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            if (out.length() > MAX_LENGTH) {
                out.append(MORE);
                break;
            }
            entries.get(i).run();
        }
        out.append('}');
    }

    private void entry(String key, Runnable value) {
        out.append(key).append(": ");
        value.run();
    }

    /** Whether this value is past the depth, node or length budget (and so shown as "..."). */
    private boolean exhausted(int depth) {
        return depth > MAX_DEPTH || ++nodes > MAX_NODES || out.length() > MAX_LENGTH;
    }

    private String text() {
        return out.length() <= MAX_LENGTH ? out.toString() : out.substring(0, MAX_LENGTH) + MORE;
    }
}
