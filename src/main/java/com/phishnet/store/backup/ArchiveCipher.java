package com.phishnet.store.backup;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Encrypts a whole archive at rest with AES-256-GCM (BouncyCastle) in chunks, so neither side holds more than one
 * chunk. Each chunk is sealed on its own with a nonce derived from the archive's random nonce and the chunk's
 * number, and authenticates the header, its number and whether it is the last: a chunk cannot be altered,
 * reordered, dropped or followed by another without the reader noticing.
 *
 * <p>Layout: {@code "PNBACKUP"}, format byte 1, key id (length byte + UTF-8), 12-byte nonce, chunk size (int32),
 * then the chunks, each {@code chunk size + 16} bytes but the last, which is shorter (an empty one when the
 * plaintext fills its chunks exactly).
 */
public final class ArchiveCipher {

    static final byte[] MAGIC = "PNBACKUP".getBytes(StandardCharsets.US_ASCII);
    static final int DEFAULT_CHUNK = 1024 * 1024;

    private static final byte FORMAT = 1;
    private static final int NONCE = 12;
    private static final int TAG = 16;
    private static final int MAX_CHUNK = 16 * 1024 * 1024;

    private ArchiveCipher() {
    }

    /** Whether these first bytes of an archive are those of an encrypted one. */
    public static boolean isEncrypted(byte[] start) {
        return start.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(start, MAGIC.length), MAGIC);
    }

    public static void encrypt(InputStream plain, OutputStream out, String keyId, byte[] key, SecureRandom random) {
        encrypt(plain, out, keyId, key, random, DEFAULT_CHUNK);
    }

    static void encrypt(InputStream plain, OutputStream out, String keyId, byte[] key, SecureRandom random, int chunk) {
        if (key.length != 32) {
            throw new IllegalArgumentException("A backup key is 32 bytes (AES-256)");
        }
        byte[] keyIdBytes = keyId.getBytes(StandardCharsets.UTF_8);
        if (keyIdBytes.length == 0 || keyIdBytes.length > 255) {
            throw new IllegalArgumentException("A backup key id is 1 to 255 bytes");
        }
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] header = header(keyIdBytes, nonce, chunk);
        try {
            out.write(header);
            byte[] buffer = new byte[chunk];
            byte[] sealed = new byte[chunk + TAG];
            long number = 0;
            while (true) {
                int read = plain.readNBytes(buffer, 0, chunk);
                // Only a short chunk is the last; a plaintext that fills its chunks ends with an empty one.
                boolean last = read < chunk;
                int length = seal(key, nonce, header, number, last, buffer, read, sealed);
                out.write(sealed, 0, length);
                if (last) {
                    return;
                }
                number++;
            }
        }
        catch (IOException failure) {
            throw new UncheckedIOException("Cannot encrypt the backup archive", failure);
        }
    }

    /**
     * @param keys the backup keys by id; a key id it lacks is a clear refusal, not a decryption failure
     */
    public static void decrypt(InputStream sealedIn, OutputStream plain, Function<String, Optional<byte[]>> keys) {
        try {
            DataInputStream in = new DataInputStream(sealedIn);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ArchiveCorruptException("This archive is not encrypted by this service (no PNBACKUP header)");
            }
            int format = in.read();
            if (format != FORMAT) {
                throw new ArchiveCorruptException("This encrypted archive has format " + format + ", which this version"
                        + " does not read");
            }
            int keyIdLength = in.read();
            if (keyIdLength <= 0) {
                throw new ArchiveCorruptException("The encrypted archive's header is cut short");
            }
            byte[] keyIdBytes = in.readNBytes(keyIdLength);
            byte[] nonce = in.readNBytes(NONCE);
            if (keyIdBytes.length < keyIdLength || nonce.length < NONCE) {
                throw new ArchiveCorruptException("The encrypted archive's header is cut short");
            }
            int chunk = in.readInt();
            if (chunk <= 0 || chunk > MAX_CHUNK) {
                throw new ArchiveCorruptException("The encrypted archive's header is altered (chunk size " + chunk + ")");
            }
            String keyId = new String(keyIdBytes, StandardCharsets.UTF_8);
            byte[] key = keys.apply(keyId).orElseThrow(() -> new MissingBackupKeyException(keyId));
            byte[] header = header(keyIdBytes, nonce, chunk);
            byte[] sealed = new byte[chunk + TAG];
            byte[] opened = new byte[chunk];
            long number = 0;
            while (true) {
                int read = in.readNBytes(sealed, 0, chunk + TAG);
                boolean last = read < chunk + TAG;
                if (read < TAG) {
                    throw new ArchiveCorruptException("The encrypted archive is cut short after " + number + " chunks");
                }
                int length = open(key, nonce, header, number, last, sealed, read, opened);
                plain.write(opened, 0, length);
                if (last) {
                    return;
                }
                number++;
            }
        }
        catch (IOException failure) {
            throw new ArchiveCorruptException("The encrypted archive cannot be read (" + failure.getMessage() + ")", failure);
        }
    }

    /** A backup sealed with a key this service does not have. */
    public static final class MissingBackupKeyException extends RuntimeException {

        private final String keyId;

        MissingBackupKeyException(String keyId) {
            super("The archive is encrypted with backup key '" + keyId + "', which this service is not configured with");
            this.keyId = keyId;
        }

        public String keyId() {
            return keyId;
        }
    }

    private static byte[] header(byte[] keyId, byte[] nonce, int chunk) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(header)) {
            out.write(MAGIC);
            out.write(FORMAT);
            out.write(keyId.length);
            out.write(keyId);
            out.write(nonce);
            out.writeInt(chunk);
        }
        catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return header.toByteArray();
    }

    private static int seal(byte[] key, byte[] nonce, byte[] header, long number, boolean last, byte[] plain, int length,
            byte[] out) {
        GCMModeCipher cipher = cipher(true, key, nonce, header, number, last);
        int written = cipher.processBytes(plain, 0, length, out, 0);
        try {
            return written + cipher.doFinal(out, written);
        }
        catch (InvalidCipherTextException impossible) {
            throw new IllegalStateException("GCM cannot fail to seal", impossible);
        }
    }

    private static int open(byte[] key, byte[] nonce, byte[] header, long number, boolean last, byte[] sealed,
            int length, byte[] out) {
        GCMModeCipher cipher = cipher(false, key, nonce, header, number, last);
        int written = cipher.processBytes(sealed, 0, length, out, 0);
        try {
            return written + cipher.doFinal(out, written);
        }
        catch (InvalidCipherTextException failure) {
            throw new ArchiveCorruptException("Chunk " + number + " of the encrypted archive does not authenticate: the"
                    + " key is wrong, or the archive was altered, reordered or cut short", failure);
        }
    }

    private static GCMModeCipher cipher(boolean encrypt, byte[] key, byte[] nonce, byte[] header, long number,
            boolean last) {
        // The archive's nonce with the chunk number in its last 8 bytes: unique per chunk under one key and nonce.
        byte[] chunkNonce = nonce.clone();
        ByteBuffer counter = ByteBuffer.wrap(chunkNonce, NONCE - 8, 8);
        long mixed = counter.getLong(NONCE - 8) ^ number;
        counter.putLong(NONCE - 8, mixed);
        byte[] associated = ByteBuffer.allocate(header.length + 9).put(header).putLong(number).put((byte) (last ? 1 : 0))
                .array();
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG * 8, chunkNonce, associated));
        return cipher;
    }
}
