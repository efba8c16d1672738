package com.phishnet.store.platform.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Of a whole file, read in blocks (blocking IO: call it on a bounded scheduler). */
    public static String hex(Path file) throws IOException {
        MessageDigest digest = digest();
        byte[] block = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(block); read != -1; read = in.read(block)) {
                digest.update(block, 0, read);
            }
        }
        return hex(digest);
    }

    public static String hex(String input) {
        return hex(input.getBytes(StandardCharsets.UTF_8));
    }
}
