package com.phishnet.store.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as 64 lower-case hex characters: refresh-token hashes, request fingerprints, audit-chain links. */
public final class Sha256 {

    private Sha256() {
    }

    public static String hex(byte[] input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }

    public static String hex(String input) {
        return hex(input.getBytes(StandardCharsets.UTF_8));
    }
}
