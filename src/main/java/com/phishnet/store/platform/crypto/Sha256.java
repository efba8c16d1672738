package com.phishnet.store.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as 64 lower-case hex characters: refresh-token hashes, request fingerprints, audit-chain links, backup files. */
public final class Sha256 {

    private Sha256() {
    }

    public static String hex(byte[] input) {
        return HexFormat.of().formatHex(digest().digest(input));
    }

    /** A fresh digest, for hashing a stream as it passes (backup files); finish it with {@link #hex(MessageDigest)}. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }

    public static String hex(MessageDigest finished) {
        return HexFormat.of().formatHex(finished.digest());
    }

    public static String hex(String input) {
        return hex(input.getBytes(StandardCharsets.UTF_8));
    }
}
