package com.phishnet.store.migrations;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * A small vocabulary for MongoDB {@code $jsonSchema} validators, so each change unit reads as the schema it
 * creates. Uses {@code bsonType} throughout (MongoDB's extension), since JSON types cannot say "date" or
 * "binary".
 */
final class JsonSchema {

    private JsonSchema() {
    }

    static Document validator(Document schema) {
        return new Document("$jsonSchema", schema);
    }

    /**
     * A validator widened in place: the server's {@code current} one (or {@code before}, what the previous unit
     * left, when the server has none or one of another form) with its properties changed by {@code change}. Widening
     * what is there keeps what an operator or a later unit added, which rebuilding from code would drop.
     */
    static Document widened(Document current, Document before, java.util.function.Consumer<Document> change) {
        Document base = current != null && current.get("$jsonSchema") instanceof Document ? current : before;
        Document schema = base.get("$jsonSchema", Document.class);
        Document properties = new Document(schema.get("properties", Document.class));
        change.accept(properties);
        return validator(new Document(schema).append("properties", properties));
    }

    static Document object(List<String> required, Map<String, Document> properties) {
        Document object = new Document("bsonType", "object");
        if (!required.isEmpty()) {
            object.append("required", required);
        }
        return object.append("properties", new Document(properties));
    }

    static Document string(int minLength, int maxLength) {
        return new Document("bsonType", "string").append("minLength", minLength).append("maxLength", maxLength);
    }

    static Document enumOf(String... values) {
        return new Document("bsonType", "string").append("enum", Arrays.asList(values));
    }

    static Document date() {
        return new Document("bsonType", "date");
    }

    static Document bool() {
        return new Document("bsonType", "bool");
    }

    static Document binary() {
        return new Document("bsonType", "binData");
    }

    static Document anyObject() {
        return new Document("bsonType", "object");
    }

    /** Whole numbers arrive as int or long depending on their size, so both are accepted. */
    static Document wholeNumber(long minimum) {
        return new Document("bsonType", List.of("int", "long")).append("minimum", minimum);
    }

    static Document number(double minimum, double maximum) {
        return new Document("bsonType", List.of("double", "int", "long", "decimal"))
                .append("minimum", minimum).append("maximum", maximum);
    }

    static Document arrayOf(Document items, int maxItems) {
        return new Document("bsonType", "array").append("items", items).append("maxItems", maxItems);
    }

    /** Insertion-ordered properties, so the stored validator reads in the order it was written. */
    static Map<String, Document> properties(Object... nameSchemaPairs) {
        Map<String, Document> properties = new LinkedHashMap<>();
        for (int i = 0; i < nameSchemaPairs.length; i += 2) {
            properties.put((String) nameSchemaPairs[i], (Document) nameSchemaPairs[i + 1]);
        }
        return properties;
    }
}
