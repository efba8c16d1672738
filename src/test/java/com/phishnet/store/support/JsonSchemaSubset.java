package com.phishnet.store.support;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;

/**
 * Checks a document against the subset of MongoDB's {@code $jsonSchema} that the migrations use (bsonType,
 * required, properties, additionalProperties: false, enum, min/maxLength, pattern, minimum/maximum, items, maxItems, anyOf, not). Not a stand-in for the server:
 * a quick, server-free signal that what Spring Data writes has the shape the validators demand. The real
 * validators are exercised by the integration tier.
 */
public final class JsonSchemaSubset {

    private JsonSchemaSubset() {
    }

    /** The violations, empty when the document conforms. */
    public static List<String> violations(Document validator, Document document) {
        List<String> violations = new ArrayList<>();
        check("", validator.get("$jsonSchema", Document.class), document, violations);
        return violations;
    }

    private static void check(String path, Document schema, Object value, List<String> violations) {
        Object bsonType = schema.get("bsonType");
        if (bsonType != null) {
            List<?> allowed = bsonType instanceof List<?> list ? list : List.of(bsonType);
            String actual = bsonTypeOf(value);
            if (!allowed.contains(actual)) {
                violations.add(path + ": " + actual + " is not one of " + allowed);
                return;
            }
        }
        if (schema.get("enum") != null && !schema.getList("enum", Object.class).contains(value)) {
            violations.add(path + ": " + value + " is not in the enum");
        }
        if (value instanceof String string) {
            if (schema.get("minLength") != null && string.length() < schema.getInteger("minLength")) {
                violations.add(path + ": shorter than " + schema.get("minLength"));
            }
            if (schema.get("maxLength") != null && string.length() > schema.getInteger("maxLength")) {
                violations.add(path + ": longer than " + schema.get("maxLength"));
            }
            // The validators' patterns use only what Java and the server's PCRE read alike (classes, ^, \z).
            if (schema.get("pattern") != null && !Pattern.compile(schema.getString("pattern")).matcher(string).find()) {
                violations.add(path + ": does not match " + schema.get("pattern"));
            }
        }
        if (value instanceof Number number) {
            if (schema.get("minimum") != null && number.doubleValue() < ((Number) schema.get("minimum")).doubleValue()) {
                violations.add(path + ": below " + schema.get("minimum"));
            }
            if (schema.get("maximum") != null && number.doubleValue() > ((Number) schema.get("maximum")).doubleValue()) {
                violations.add(path + ": above " + schema.get("maximum"));
            }
        }
        if (value instanceof List<?> items) {
            if (schema.get("maxItems") != null && items.size() > schema.getInteger("maxItems")) {
                violations.add(path + ": more than " + schema.get("maxItems") + " items");
            }
            if (schema.get("minItems") != null && items.size() < schema.getInteger("minItems")) {
                violations.add(path + ": fewer than " + schema.get("minItems") + " items");
            }
            if (Boolean.TRUE.equals(schema.get("uniqueItems")) && new java.util.HashSet<>(items).size() < items.size()) {
                violations.add(path + ": items not unique");
            }
            Document itemSchema = schema.get("items", Document.class);
            for (int i = 0; itemSchema != null && i < items.size(); i++) {
                check(path + "[" + i + "]", itemSchema, items.get(i), violations);
            }
        }
        if (schema.get("anyOf") != null) {
            List<Document> alternatives = schema.getList("anyOf", Document.class);
            if (alternatives.stream().noneMatch(alternative -> conforms(path, alternative, value))) {
                violations.add(path + ": matches none of anyOf");
            }
        }
        if (schema.get("not") != null && conforms(path, schema.get("not", Document.class), value)) {
            violations.add(path + ": matches the schema under not");
        }
        if (value instanceof Map<?, ?> object) {
            for (String required : schema.getList("required", String.class, List.of())) {
                if (!object.containsKey(required)) {
                    violations.add(path + "." + required + ": required but missing");
                }
            }
            Document properties = schema.get("properties", Document.class);
            if (properties != null) {
                properties.forEach((name, propertySchema) -> {
                    if (object.containsKey(name)) {
                        check(path + "." + name, (Document) propertySchema, object.get(name), violations);
                    }
                });
            }
            if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                Document listed = properties == null ? new Document() : properties;
                object.keySet().stream().filter(name -> !listed.containsKey(name))
                        .forEach(name -> violations.add(path + "." + name + ": not allowed (additionalProperties false)"));
            }
        }
    }

    private static boolean conforms(String path, Document schema, Object value) {
        List<String> violations = new ArrayList<>();
        check(path, schema, value, violations);
        return violations.isEmpty();
    }

    private static String bsonTypeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Integer) {
            return "int";
        }
        if (value instanceof Long) {
            return "long";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof Decimal128) {
            return "decimal";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Date) {
            return "date";
        }
        if (value instanceof Binary || value instanceof byte[]) {
            return "binData";
        }
        if (value instanceof List<?>) {
            return "array";
        }
        if (value instanceof Map<?, ?>) {
            return "object";
        }
        return value.getClass().getSimpleName();
    }
}
