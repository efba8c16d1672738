package com.phishnet.store.platform.mongo;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A change-stream resume token: the {@code _data} string of an event's {@code _id}, as a server of 4.2 or later
 * writes it (hex of a KeyString that starts with the event's cluster time). It is a stream's event id on the wire,
 * so what a client sends back is checked here before any cursor is opened: a malformed one is a 400, never a
 * server error.
 *
 * <p>The KeyString encoding sorts like the events it names, so two tokens of the same change stream compare by
 * their bytes; that is what lets a catch-up cursor hand over to the shared one without a duplicate or a gap.
 */
public record ResumeToken(String data) implements Comparable<ResumeToken> {

    /** Far above any real token (about 100 hex digits for a document key of a 24-character id). */
    public static final int MAX_LENGTH = 2048;

    /** The KeyString type byte of a BSON timestamp, the first value of every 4.2+ resume token. */
    private static final int TIMESTAMP_TYPE = 130;

    /** Type byte and the 8 bytes of the timestamp. */
    private static final int MIN_BYTES = 9;

    public ResumeToken {
        data = data.toUpperCase(Locale.ROOT);
    }

    /** The token a client sent back, or an {@link IllegalArgumentException} that says what is wrong with it. */
    public static ResumeToken parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
        }
        if (text.length() % 2 != 0 || !text.chars().allMatch(ResumeToken::isHexDigit)) {
            throw new IllegalArgumentException("is not an event id this service sent (an even number of hex digits)");
        }
        if (text.length() < 2 * MIN_BYTES || Integer.parseInt(text.substring(0, 2), 16) != TIMESTAMP_TYPE) {
            throw new IllegalArgumentException("is not an event id this service sent (no cluster time)");
        }
        return new ResumeToken(text);
    }

    /** The token of a change event ({@code {_data: "..."}}), as the driver hands it over. */
    public static ResumeToken of(BsonDocument resumeToken) {
        BsonValue data = resumeToken.get("_data");
        if (data == null || !data.isString()) {
            throw new IllegalArgumentException("resume token without a string _data: " + resumeToken.toJson());
        }
        return new ResumeToken(data.asString().getValue());
    }

    /** The form {@code startAfter} takes. */
    public BsonDocument toBson() {
        return new BsonDocument("_data", new BsonString(data));
    }

    /** The cluster time of the event the token names, to the second: where a re-read must start. */
    public Instant clusterTime() {
        byte[] bytes = HexFormat.of().parseHex(data, 2, 2 + 16);
        long seconds = ((bytes[0] & 0xFFL) << 24) | ((bytes[1] & 0xFFL) << 16) | ((bytes[2] & 0xFFL) << 8) | (bytes[3] & 0xFFL);
        return Instant.ofEpochSecond(seconds);
    }

    /** Whether this token names an event after {@code other} in the same change stream. */
    public boolean isAfter(ResumeToken other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(ResumeToken other) {
        // Upper-case hex of the same bytes sorts like the unsigned bytes themselves.
        return data.compareTo(other.data);
    }

    @Override
    public String toString() {
        return data;
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
