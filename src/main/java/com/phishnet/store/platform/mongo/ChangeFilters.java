package com.phishnet.store.platform.mongo;

import java.util.List;

import org.bson.Document;

/**
 * Field names and shapes of change events, for the {@code $match} stages features put in front of
 * {@link ChangeFeed#watch}: the server filters, so an event no subscriber wants never crosses the network.
 */
public final class ChangeFilters {

    public static final String OPERATION_TYPE = "operationType";
    public static final String INSERT = "insert";
    public static final String UPDATE = "update";
    public static final String REPLACE = "replace";

    private ChangeFilters() {
    }

    /** A field of the event's document (for an update: the looked-up one). */
    public static String fullDocument(String field) {
        return "fullDocument." + field;
    }

    /** A field an update event says the update set. */
    public static String updatedField(String field) {
        return "updateDescription.updatedFields." + field;
    }

    /** Events of exactly these operation types. */
    public static Document operationTypeIn(String... types) {
        return new Document(OPERATION_TYPE, types.length == 1 ? types[0] : new Document("$in", List.of(types)));
    }

    /** The one-stage pipeline of {@code filter}. */
    public static List<Document> pipeline(Document filter) {
        return List.of(new Document("$match", filter));
    }
}
