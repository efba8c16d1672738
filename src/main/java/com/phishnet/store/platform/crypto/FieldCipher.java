package com.phishnet.store.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMSIVBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Seals and opens secret fields with AES-256-GCM-SIV (RFC 8452, BouncyCastle). GCM-SIV stays safe even if a
 * nonce ever repeats (it then reveals only whether two plaintexts are equal), and a fresh random 96-bit nonce
 * is used anyway. The associated data binds each ciphertext to its key id, tenant, collection, document and
 * field. Stored form: {@code nonce (12) || ciphertext || tag (16)}.
 */
public final class FieldCipher {

    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;

    private final KeyRing keys;
    private final SecureRandom random;

    public FieldCipher(KeyRing keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    public Sealed seal(String plaintext, FieldContext context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String keyId = keys.primaryKeyId();
        byte[] ciphertext = process(true, keys.primaryKey(), nonce, context.associatedData(keyId),
                plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] stored = new byte[NONCE_BYTES + ciphertext.length];
        System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
        System.arraycopy(ciphertext, 0, stored, NONCE_BYTES, ciphertext.length);
        return new Sealed(keyId, stored);
    }

    public String open(Sealed sealed, FieldContext context) {
        byte[] key = keys.dataKey(sealed.keyId()).orElseThrow(() -> new DecryptionFailedException(
                "the value was sealed with key '" + sealed.keyId() + "', which this service does not have"));
        byte[] stored = sealed.ciphertext();
        if (stored.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new DecryptionFailedException("the stored value is too short to be a ciphertext");
        }
        byte[] nonce = Arrays.copyOfRange(stored, 0, NONCE_BYTES);
        byte[] ciphertext = Arrays.copyOfRange(stored, NONCE_BYTES, stored.length);
        try {
            return new String(process(false, key, nonce, context.associatedData(sealed.keyId()), ciphertext),
                    StandardCharsets.UTF_8);
        }
        catch (DecryptionFailedException failure) {
            throw new DecryptionFailedException("the value in " + context.collection() + "." + context.field()
                    + " of document " + context.documentId() + " failed authentication: it was altered, or belongs"
                    + " to another record or field");
        }
    }

    /** Whether a value should be re-sealed under the primary key. */
    public boolean isSealedWithPrimary(Sealed sealed) {
        return keys.primaryKeyId().equals(sealed.keyId());
    }

    /** Raw AES-256-GCM-SIV; visible for the RFC 8452 known-answer tests. */
    static byte[] process(boolean encrypt, byte[] key, byte[] nonce, byte[] associatedData, byte[] input) {
        GCMSIVBlockCipher cipher = new GCMSIVBlockCipher(AESEngine.newInstance());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, associatedData));
        byte[] output = new byte[cipher.getOutputSize(input.length)];
        int written = cipher.processBytes(input, 0, input.length, output, 0);
        try {
            written += cipher.doFinal(output, written);
        }
        catch (InvalidCipherTextException tampered) {
            throw new DecryptionFailedException("authentication failed");
        }
        return written == output.length ? output : Arrays.copyOf(output, written);
    }
}
