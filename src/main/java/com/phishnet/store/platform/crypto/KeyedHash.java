package com.phishnet.store.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC-SHA-256 of secrets under a key of their own purpose, derived (HKDF-SHA-256) from the server's blind-index
 * key: what is stored cannot be recomputed from a guessed secret without the server's key, and two purposes never
 * share a key, nor with the blind index itself. For secrets the service issues (API keys) and must recognise
 * later; compare with {@link #matches}, which takes the same time wherever the values differ.
 */
public final class KeyedHash {

    /** Base64url without padding of 32 bytes. */
    public static final int LENGTH = 43;

    private final byte[] key;

    public KeyedHash(KeyRing keys, String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a keyed hash needs a purpose");
        }
        this.key = derive(keys.blindIndexKey(), purpose);
    }

    /** Base64url without padding: {@value #LENGTH} characters. */
    public String of(String secret) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        byte[] input = secret.getBytes(StandardCharsets.UTF_8);
        mac.update(input, 0, input.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** Whether {@code secret} hashes to {@code stored}, compared in constant time; false for a null stored hash. */
    public boolean matches(String secret, String stored) {
        return sameHash(of(secret), stored);
    }

    /** Whether two hashes are equal, compared in constant time; false when either is null. */
    public static boolean sameHash(String hash, String stored) {
        if (hash == null || stored == null) {
            return false;
        }
        return MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] derive(byte[] blindIndexKey, String purpose) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(blindIndexKey, "phishnet-store/keyed-hash/v1".getBytes(StandardCharsets.UTF_8),
                purpose.getBytes(StandardCharsets.UTF_8)));
        byte[] derived = new byte[KeyRing.KEY_BYTES];
        hkdf.generateBytes(derived, 0, derived.length);
        return derived;
    }

    @Override
    public String toString() {
        return "KeyedHash[HMAC-SHA-256]";
    }
}
