package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline decrypt step: the plain tar back from a sealed archive, or nothing and a clear exit status. */
class DecryptArchiveTest {

    @TempDir
    Path dir;

    private final byte[] key = new byte[32];
    private final byte[] plain = "a tar would be here ".repeat(100_000).getBytes();

    @Test
    void theRightKeyGivesBackThePlainArchiveByteForByte() throws Exception {
        Path sealed = sealed("backup-2");

        int status = DecryptArchive.run(new String[] {sealed.toString(), dir.resolve("plain.tar").toString()},
                Map.of("PHISHNET_BACKUP_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key),
                        "PHISHNET_BACKUP_ENCRYPTION_KEY_ID", "backup-2"));

        assertThat(status).isZero();
        assertThat(Files.readAllBytes(dir.resolve("plain.tar"))).isEqualTo(plain);
    }

    @Test
    void anotherKeyIdOrAnAlteredArchiveLeavesNoOutput() throws Exception {
        Path sealed = sealed("backup-2");
        var environment = Map.of("PHISHNET_BACKUP_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key));

        assertThat(DecryptArchive.run(new String[] {sealed.toString(), dir.resolve("a.tar").toString()}, environment))
                .isEqualTo(1);
        byte[] altered = Files.readAllBytes(sealed);
        altered[altered.length / 2] ^= 1;
        Files.write(sealed, altered);
        assertThat(DecryptArchive.run(new String[] {sealed.toString(), dir.resolve("b.tar").toString()},
                Map.of("PHISHNET_BACKUP_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key),
                        "PHISHNET_BACKUP_ENCRYPTION_KEY_ID", "backup-2"))).isEqualTo(1);

        assertThat(dir.resolve("a.tar")).doesNotExist();
        assertThat(dir.resolve("b.tar")).doesNotExist();
        assertThat(dir.resolve("b.tar.partial")).doesNotExist();
    }

    @Test
    void aRetiredKeyAmongThePreviousOnesOpensAnOlderArchive() throws Exception {
        Path sealed = sealed("backup-1");

        int status = DecryptArchive.run(new String[] {sealed.toString(), dir.resolve("old.tar").toString()},
                Map.of("PHISHNET_BACKUP_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                        "PHISHNET_BACKUP_ENCRYPTION_KEY_ID", "backup-2",
                        "PHISHNET_BACKUP_ENCRYPTION_PREVIOUS_KEYS", "backup-1:" + Base64.getEncoder().encodeToString(key)));

        assertThat(status).isZero();
        assertThat(Files.readAllBytes(dir.resolve("old.tar"))).isEqualTo(plain);
    }

    @Test
    void withoutAKeyOrArgumentsItSaysWhatItNeeds() {
        assertThat(DecryptArchive.run(new String[] {"in"}, Map.of())).isEqualTo(2);
        assertThat(DecryptArchive.run(new String[] {"in", "out"}, Map.of())).isEqualTo(2);
    }

    private Path sealed(String keyId) throws Exception {
        new SecureRandom().nextBytes(key);
        var out = new ByteArrayOutputStream();
        ArchiveCipher.encrypt(new java.io.ByteArrayInputStream(plain), out, keyId, key, new SecureRandom());
        Path sealed = dir.resolve("backup.tar");
        Files.write(sealed, out.toByteArray());
        return sealed;
    }
}
