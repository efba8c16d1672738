package com.phishnet.store.backup;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backup keys by id: the current one, which seals new archives, and retired ones still needed to open older
 * archives ({@code previous-keys}, {@code id:base64,id:base64}, the format of the data keys). A key that is not 32
 * bytes of base64, an id outside {@code [A-Za-z0-9_.-]{1,64}}, or an id given twice is refused with the reason.
 */
final class BackupKeys {

    private static final String KEY_ID = "[A-Za-z0-9_.-]{1,64}";

    private BackupKeys() {
    }

    static Map<String, byte[]> parse(String currentId, String currentKey, String previousKeys) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        if (currentKey != null && !currentKey.isBlank()) {
            put(keys, currentId, currentKey, "phishnet.backup.encryption.key");
        }
        if (previousKeys != null && !previousKeys.isBlank()) {
            for (String entry : previousKeys.split(",")) {
                int colon = entry.indexOf(':');
                if (colon < 0) {
                    throw new IllegalStateException("phishnet.backup.encryption.previous-keys: each entry is id:base64");
                }
                put(keys, entry.substring(0, colon).trim(), entry.substring(colon + 1), "previous key '"
                        + entry.substring(0, colon).trim() + "'");
            }
        }
        return keys;
    }

    private static void put(Map<String, byte[]> keys, String id, String base64, String what) {
        if (id == null || !id.matches(KEY_ID)) {
            throw new IllegalStateException("A backup key id must be 1-64 letters, digits, '.', '_' or '-', not '" + id + "'");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        }
        catch (IllegalArgumentException notBase64) {
            throw new IllegalStateException(what + " is not base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException(what + " must be 32 bytes (AES-256), not " + key.length);
        }
        if (keys.putIfAbsent(id, key) != null) {
            throw new IllegalStateException("The backup key id '" + id + "' is given twice");
        }
    }
}
