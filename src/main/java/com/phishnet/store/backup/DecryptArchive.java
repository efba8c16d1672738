package com.phishnet.store.backup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code decrypt} step before stock tools read an archive the service encrypted at rest: turns a downloaded
 * archive back into the plain tar that {@code tar xf} and {@code mongorestore --gzip --dir dump} read, without a
 * running service or database (the disaster case). The key comes from the environment, as the service's does:
 * {@code PHISHNET_BACKUP_ENCRYPTION_KEY} (base64, 32 bytes) and {@code PHISHNET_BACKUP_ENCRYPTION_KEY_ID}.
 * <pre>
 * java -cp phishnet-store.jar -Dloader.main=com.phishnet.store.backup.DecryptArchive \
 *     org.springframework.boot.loader.launch.PropertiesLauncher backup.tar backup.plain.tar
 * </pre>
 * The output appears only when every chunk has been authenticated; a wrong key or an altered archive leaves none.
 */
public final class DecryptArchive {

    private DecryptArchive() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv());
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, Map<String, String> environment) {
        if (args.length != 2) {
            System.err.println("usage: DecryptArchive <encrypted archive> <plain tar to write>");
            return 2;
        }
        String key = environment.get("PHISHNET_BACKUP_ENCRYPTION_KEY");
        String keyId = environment.getOrDefault("PHISHNET_BACKUP_ENCRYPTION_KEY_ID", "backup-1");
        String previousKeys = environment.get("PHISHNET_BACKUP_ENCRYPTION_PREVIOUS_KEYS");
        if ((key == null || key.isBlank()) && (previousKeys == null || previousKeys.isBlank())) {
            System.err.println("Set PHISHNET_BACKUP_ENCRYPTION_KEY (and PHISHNET_BACKUP_ENCRYPTION_KEY_ID if not backup-1),"
                    + " or PHISHNET_BACKUP_ENCRYPTION_PREVIOUS_KEYS=id:base64,...");
            return 2;
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try {
            Map<String, byte[]> keys = BackupKeys.parse(keyId, key, previousKeys);
            try (InputStream sealed = new BufferedInputStream(Files.newInputStream(in), 64 * 1024);
                    OutputStream plain = new BufferedOutputStream(Files.newOutputStream(partial), 64 * 1024)) {
                ArchiveCipher.decrypt(sealed, plain, id -> Optional.ofNullable(keys.get(id)));
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
            System.err.println("Decrypted " + in + " into " + out);
            return 0;
        }
        catch (ArchiveCipher.MissingBackupKeyException missing) {
            System.err.println("The archive is sealed with backup key '" + missing.keyId() + "', which is not given:"
                    + " set it as PHISHNET_BACKUP_ENCRYPTION_KEY_ID/_KEY or in PHISHNET_BACKUP_ENCRYPTION_PREVIOUS_KEYS");
        }
        catch (RuntimeException | java.io.IOException failure) {
            System.err.println("Could not decrypt " + in + ": " + failure.getMessage());
        }
        try {
            Files.deleteIfExists(partial);
        }
        catch (java.io.IOException ignored) {
            // Best effort: the partial file is named as such.
        }
        return 1;
    }
}
