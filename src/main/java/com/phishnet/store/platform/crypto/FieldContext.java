package com.phishnet.store.platform.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where an encrypted value lives. It is bound into the ciphertext as associated data, so a ciphertext copied
 * to another tenant, collection, document or field no longer decrypts.
 */
public record FieldContext(String tenantId, String collection, String documentId, String field) {

    private static final byte[] DOMAIN = "phishnet-field-v1".getBytes(StandardCharsets.UTF_8);

    public FieldContext {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(field, "field");
    }

    /** Length-prefixed parts, so ("ab","c") and ("a","bc") can never produce the same bytes. */
    byte[] associatedData(String keyId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : new byte[][] {DOMAIN, utf8(keyId), utf8(tenantId), utf8(collection), utf8(documentId), utf8(field)}) {
            out.write(part.length >>> 24);
            out.write(part.length >>> 16);
            out.write(part.length >>> 8);
            out.write(part.length);
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
