package com.phishnet.store.platform.crypto;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The data keys that seal secret fields, by id, and the separate key of the blind index. One data key is
 * primary and seals new values; the others still open what they sealed, so keys rotate without downtime.
 */
public final class KeyRing {

    public static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final Map<String, byte[]> dataKeys;
    private final String primaryKeyId;
    private final byte[] blindIndexKey;

    public KeyRing(Map<String, byte[]> dataKeys, String primaryKeyId, byte[] blindIndexKey) {
        if (dataKeys.isEmpty()) {
            throw new IllegalArgumentException("the key ring has no data keys");
        }
        dataKeys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("key id '" + id + "' must be 1-32 of A-Z a-z 0-9 _ -");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("data key '" + id + "' must be " + KEY_BYTES + " bytes, not " + key.length);
            }
        });
        if (!dataKeys.containsKey(primaryKeyId)) {
            throw new IllegalArgumentException("primary key id '" + primaryKeyId + "' is not among the data keys "
                    + dataKeys.keySet());
        }
        if (blindIndexKey.length < KEY_BYTES) {
            throw new IllegalArgumentException("the blind-index key must be at least " + KEY_BYTES + " bytes");
        }
        if (dataKeys.values().stream().anyMatch(key -> Arrays.equals(key, blindIndexKey))) {
            throw new IllegalArgumentException("the blind-index key must differ from every data key");
        }
        this.dataKeys = new TreeMap<>();
        dataKeys.forEach((id, key) -> this.dataKeys.put(id, key.clone()));
        this.primaryKeyId = primaryKeyId;
        this.blindIndexKey = blindIndexKey.clone();
    }

    public String primaryKeyId() {
        return primaryKeyId;
    }

    /** The ids of every data key held, so that what needs a key can be checked before it is needed. */
    public Set<String> keyIds() {
        return Collections.unmodifiableSet(dataKeys.keySet());
    }

    byte[] primaryKey() {
        return dataKeys.get(primaryKeyId);
    }

    Optional<byte[]> dataKey(String keyId) {
        return Optional.ofNullable(dataKeys.get(keyId));
    }

    byte[] blindIndexKey() {
        return blindIndexKey;
    }

    /** Ids only: key material never leaves this class except into the cipher. */
    @Override
    public String toString() {
        return "KeyRing[keys=" + dataKeys.keySet() + ", primary=" + primaryKeyId + "]";
    }
}
