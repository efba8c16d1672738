package com.phishnet.store.platform.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

import com.phishnet.store.platform.crypto.BlindIndex;

import org.springframework.stereotype.Component;

/**
 * Opaque keyset cursors: the position (time, id) of the last item of a page and a hash of the filters it was
 * made for, signed with a keyed HMAC. A cursor that was altered, or reused with other filters, is a 400.
 */
@Component
public class CursorCodec {

    private static final String VERSION = "v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final BlindIndex mac;

    public CursorCodec(BlindIndex mac) {
        this.mac = mac;
    }

    /** Where the next page starts: strictly after this (time, id) in descending order. */
    public record Position(Instant at, String id) {
    }

    public String encode(String scope, Position position, String filters) {
        String payload = VERSION + "|" + position.at().toEpochMilli() + "|" + position.id() + "|" + filters;
        String body = ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return body + "." + signature(scope, body);
    }

    public Position decode(String scope, String cursor, String filters) {
        int dot = cursor.lastIndexOf('.');
        if (dot <= 0 || !MessageDigest.isEqual(signature(scope, cursor.substring(0, dot)).getBytes(StandardCharsets.US_ASCII),
                cursor.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            throw invalid("The cursor is not one this service issued.");
        }
        String[] parts;
        try {
            parts = new String(DECODER.decode(cursor.substring(0, dot)), StandardCharsets.UTF_8).split("\\|", 4);
        }
        catch (IllegalArgumentException malformed) {
            throw invalid("The cursor is malformed.");
        }
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw invalid("The cursor is malformed.");
        }
        if (!parts[3].equals(filters)) {
            throw invalid("The cursor belongs to a list with other filters; start again without it.");
        }
        try {
            return new Position(Instant.ofEpochMilli(Long.parseLong(parts[1])), parts[2]);
        }
        catch (NumberFormatException malformed) {
            throw invalid("The cursor is malformed.");
        }
    }

    private String signature(String scope, String body) {
        return mac.of("cursor:" + scope, body).substring(0, 22);
    }

    private static ApiException invalid(String message) {
        return new ApiException.InvalidField("cursor", message);
    }
}
