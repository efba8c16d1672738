package com.phishnet.store.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Keyed HMAC-SHA-256 of a secret, so a record can be found by the secret without decrypting anything.
 * Without the blind-index key the value cannot be recomputed from a guess, unlike a plain hash.
 * The domain separates uses, so the same address indexed for two purposes gives unrelated values.
 */
public final class BlindIndex {

    private final byte[] key;

    public BlindIndex(KeyRing keys) {
        this.key = keys.blindIndexKey();
    }

    /** Base64url without padding: 43 characters. */
    public String of(String domain, String value) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        byte[] input = (domain + '\u0000' + value).getBytes(StandardCharsets.UTF_8);
        mac.update(input, 0, input.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
