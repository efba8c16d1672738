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
