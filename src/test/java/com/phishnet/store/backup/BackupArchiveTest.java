package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.phishnet.store.platform.crypto.Sha256;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupArchiveTest {

    static final String SCANS = "dump/phishnet/scan_results.bson.gz";
    static final String SCANS_METADATA = "dump/phishnet/scan_results.metadata.json.gz";

    @TempDir
    Path staging;

    List<RawBsonDocument> scans;
    DumpFile scansFile;
    DumpFile metadataFile;

    @BeforeEach
    void stageADump() throws IOException {
        scans = DumpFileTest.documents();
        try (DumpFileWriter writer = new DumpFileWriter(staging.resolve(SCANS), SCANS)) {
            scans.forEach(writer::write);
            scansFile = writer.finish();
        }
        try (DumpFileWriter writer = new DumpFileWriter(staging.resolve(SCANS_METADATA), SCANS_METADATA)) {
            writer.writeBytes("{\"indexes\":[]}".getBytes(StandardCharsets.UTF_8));
            metadataFile = writer.finish();
        }
        Files.writeString(staging.resolve(BackupArchive.MANIFEST), "{\"files\":[]}");
    }

    byte[] packed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackupArchive.pack(staging, List.of(BackupArchive.MANIFEST, SCANS, SCANS_METADATA), out);
        return out.toByteArray();
    }

    @Test
    void filesComeBackInOrderWithTheChecksumsTheyWereWrittenWith() {
        List<RawBsonDocument> read = new ArrayList<>();
        List<BackupArchive.Entry> entries = BackupArchive.read(new ByteArrayInputStream(packed()), (path, content) -> {
            if (path.endsWith(".bson.gz")) {
                DumpReader.read(content, path, read::add);
            }
        });
        assertThat(entries).extracting(BackupArchive.Entry::path)
                .containsExactly(BackupArchive.MANIFEST, SCANS, SCANS_METADATA);
        assertThat(entries.get(1).sha256()).isEqualTo(scansFile.sha256());
        assertThat(entries.get(1).bytes()).isEqualTo(scansFile.bytes());
        assertThat(entries.get(2).sha256()).isEqualTo(metadataFile.sha256());
        assertThat(read).containsExactlyElementsOf(scans);
    }

    @Test
    void aFileTheReaderLeavesUnreadIsStillHashedWhole() {
        List<BackupArchive.Entry> entries = BackupArchive.read(new ByteArrayInputStream(packed()), (path, content) -> {
            content.read(new byte[10]);
        });
        assertThat(entries.get(1).sha256()).isEqualTo(scansFile.sha256());
    }

    @Test
    void theSystemTarExtractsTheLayoutMongorestoreReads() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")),
                "no tar on this machine");
        Path archive = staging.resolve("backup.tar");
        Files.write(archive, packed());
        Path extracted = Files.createDirectory(staging.resolve("extracted"));
        Process tar = new ProcessBuilder("tar", "xf", archive.toString(), "-C", extracted.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(Sha256.hex(Files.readAllBytes(extracted.resolve(SCANS)))).isEqualTo(scansFile.sha256());
        assertThat(extracted.resolve(SCANS_METADATA)).exists();
        assertThat(extracted.resolve(BackupArchive.MANIFEST)).hasContent("{\"files\":[]}");
    }

    @Test
    void aCutShortArchiveSaysSo() {
        byte[] whole = packed();
        for (int length : new int[] {whole.length / 2, 700, whole.length - 2000}) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> BackupArchive.read(new ByteArrayInputStream(cut), (path, content) -> { }))
                    .as("cut at %d of %d bytes", length, whole.length)
                    .isInstanceOf(ArchiveCorruptException.class)
                    .hasMessageContaining("cut short");
        }
    }

    @Test
    void aFlippedByteChangesTheChecksumOfItsFile() throws IOException {
        byte[] flipped = packed();
        byte[] scansBytes = Files.readAllBytes(staging.resolve(SCANS));
        int at = indexOf(flipped, Arrays.copyOf(scansBytes, 64));
        assertThat(at).isPositive();
        flipped[at + scansBytes.length / 2] ^= 0x01;
        Map<String, String> checksums = new HashMap<>();
        BackupArchive.read(new ByteArrayInputStream(flipped), (path, content) -> { })
                .forEach(entry -> checksums.put(entry.path(), entry.sha256()));
        assertThat(checksums.get(SCANS)).isNotEqualTo(scansFile.sha256());
        assertThat(checksums.get(SCANS_METADATA)).isEqualTo(metadataFile.sha256());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "dump/../../evil", "/dump/abs", "other/file", "dump//x", "dump/./x",
            "dump\\x"})
    void aPathNoBackupHoldsIsRefusedBeforeItIsRead(String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(path, true);
            entry.setSize(1);
            tar.putArchiveEntry(entry);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        List<String> handed = new ArrayList<>();
        assertThatThrownBy(() -> BackupArchive.read(new ByteArrayInputStream(out.toByteArray()),
                (name, content) -> handed.add(name)))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessageContaining("not one of ours");
        assertThat(handed).isEmpty();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
