package com.phishnet.store.platform.crypto;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets for the {@code local} profile only: generated once, kept in a git-ignored file next to the local
 * database so restarts can still decrypt what earlier runs sealed. Never used outside that profile.
 */
public final class LocalDevSecrets {

    public static final String DATA_KEY_ID = "dev-1";

    private static final Logger log = LoggerFactory.getLogger(LocalDevSecrets.class);

    private final Properties values;

    private LocalDevSecrets(Properties values) {
        this.values = values;
    }

    public static synchronized LocalDevSecrets loadOrCreate(Path file, SecureRandom random) {
        Properties values = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    values.load(reader);
                }
            }
            boolean changed = putIfMissing(values, "data-key", random) | putIfMissing(values, "blind-index-key", random)
                    | putIfMissing(values, "jwt-secret", random);
            if (changed) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (Writer writer = Files.newBufferedWriter(file)) {
                    values.store(writer, "PhishNet Store local development secrets - never use outside the local profile");
                }
                restrictToOwner(file);
                log.warn("Generated local development secrets in {}: fine for a workstation, never for production"
                        + " (set PHISHNET_CRYPTO_* and PHISHNET_SECURITY_JWT_* there)", file.toAbsolutePath());
            }
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot read or write the local development secrets at " + file, failure);
        }
        return new LocalDevSecrets(values);
    }

    public byte[] dataKey() {
        return decode("data-key");
    }

    public byte[] blindIndexKey() {
        return decode("blind-index-key");
    }

    public byte[] jwtSecret() {
        return decode("jwt-secret");
    }

    private byte[] decode(String name) {
        return Base64.getDecoder().decode(values.getProperty(name));
    }

    private static boolean putIfMissing(Properties values, String name, SecureRandom random) {
        if (values.getProperty(name) != null) {
            return false;
        }
        byte[] key = new byte[KeyRing.KEY_BYTES];
        random.nextBytes(key);
        values.setProperty(name, Base64.getEncoder().encodeToString(key));
        return true;
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        catch (UnsupportedOperationException | IOException notPosix) {
            // Best effort: not every file system has POSIX permissions.
        }
    }
}
