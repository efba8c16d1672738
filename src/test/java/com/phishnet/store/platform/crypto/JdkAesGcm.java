package com.phishnet.store.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The yardstick of {@link FieldCipherJmh}: the JDK's AES-256-GCM ({@code AES/GCM/NoPadding}) doing what
 * {@link FieldCipher} does — the primary key, a fresh random 12-byte nonce per seal, the same associated data, the
 * same stored form {@code nonce || ciphertext || tag} and a new {@link Cipher} per call, as FieldCipher makes a new
 * GCM-SIV cipher per call. Test code only: GCM loses its confidentiality if a nonce ever repeats, which is why the
 * service uses GCM-SIV.
 */
final class JdkAesGcm {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final String keyId;
    private final SecretKeySpec key;
    private final SecureRandom random;

    JdkAesGcm(KeyRing keys, SecureRandom random) {
        this.keyId = keys.primaryKeyId();
        this.key = new SecretKeySpec(keys.primaryKey(), "AES");
        this.random = random;
    }

    Sealed seal(String plaintext, FieldContext context) {
        byte[] nonce = new byte[FieldCipher.NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] input = plaintext.getBytes(StandardCharsets.UTF_8);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(FieldCipher.TAG_BITS, nonce));
            cipher.updateAAD(context.associatedData(keyId));
            byte[] stored = new byte[FieldCipher.NONCE_BYTES + cipher.getOutputSize(input.length)];
            System.arraycopy(nonce, 0, stored, 0, FieldCipher.NONCE_BYTES);
            cipher.doFinal(input, 0, input.length, stored, FieldCipher.NONCE_BYTES);
            return new Sealed(keyId, stored);
        }
        catch (GeneralSecurityException failure) {
            throw new IllegalStateException("AES-GCM failed to seal", failure);
        }
    }

    String open(Sealed sealed, FieldContext context) {
        byte[] stored = sealed.ciphertext();
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(FieldCipher.TAG_BITS, stored, 0, FieldCipher.NONCE_BYTES));
            cipher.updateAAD(context.associatedData(sealed.keyId()));
            return new String(cipher.doFinal(stored, FieldCipher.NONCE_BYTES, stored.length - FieldCipher.NONCE_BYTES),
                    StandardCharsets.UTF_8);
        }
        catch (GeneralSecurityException failure) {
            throw new DecryptionFailedException("AES-GCM authentication failed");
        }
    }
}
