package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bson.RawBsonDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class ArchiveVerifierTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SCANS = "dump/phishnet/scan_results.bson.gz";
    static final String SCANS_METADATA = "dump/phishnet/scan_results.metadata.json.gz";
    static final String USERS = "dump/phishnet/users.bson.gz";

    @TempDir
    Path staging;

    List<DumpFile> files = new ArrayList<>();
    ArchiveVerifier verifier = new ArchiveVerifier(JSON);

    @BeforeEach
    void stageADump() {
        List<RawBsonDocument> documents = DumpFileTest.documents();
        files.add(dump(SCANS, documents.subList(0, 300)));
        try (DumpFileWriter writer = new DumpFileWriter(staging.resolve(SCANS_METADATA), SCANS_METADATA)) {
            writer.writeBytes("{\"indexes\":[],\"collectionName\":\"scan_results\"}".getBytes(StandardCharsets.UTF_8));
            files.add(writer.finish());
        }
        files.add(dump(USERS, documents.subList(300, 320)));
    }

    DumpFile dump(String path, List<RawBsonDocument> documents) {
        try (DumpFileWriter writer = new DumpFileWriter(staging.resolve(path), path)) {
            documents.forEach(writer::write);
            return writer.finish();
        }
    }

    BackupManifest manifest(List<DumpFile> listed) {
        return new BackupManifest(BackupManifest.FORMAT, "0.1.0", "b-1", "phishnet",
                new BackupManifest.ClusterTime(1_790_000_000L, 3), Instant.parse("2026-12-03T09:00:00Z"), null,
                List.of("key-1"), List.of(new BackupManifest.Collection("scan_results", 300, SCANS, SCANS_METADATA),
                        new BackupManifest.Collection("users", 20, USERS, "dump/phishnet/users.metadata.json.gz")),
                listed);
    }

    byte[] archive(BackupManifest manifest, List<String> paths) throws IOException {
        Files.write(staging.resolve(BackupArchive.MANIFEST), JSON.writeValueAsBytes(manifest));
        List<String> all = new ArrayList<>(List.of(BackupArchive.MANIFEST));
        all.addAll(paths);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackupArchive.pack(staging, all, out);
        return out.toByteArray();
    }

    byte[] archive() throws IOException {
        return archive(manifest(files), List.of(SCANS, SCANS_METADATA, USERS));
    }

    ArchiveVerifier.Verification verify(byte[] archive) {
        return verifier.verify(new ByteArrayInputStream(archive));
    }

    @Test
    void anArchiveAsWrittenPassesWithEveryDocumentDecoded() throws IOException {
        ArchiveVerifier.Verification verification = verify(archive());
        assertThat(verification.problems()).isEmpty();
        assertThat(verification.passed()).isTrue();
        assertThat(verification.documents()).isEqualTo(320);
        assertThat(verification.manifest()).isEqualTo(manifest(files));
    }

    @Test
    void aFlippedByteInADumpFileIsNamed() throws IOException {
        byte[] archive = archive();
        byte[] scans = Files.readAllBytes(staging.resolve(SCANS));
        int at = BackupArchiveTest.indexOf(archive, Arrays.copyOf(scans, 64));
        archive[at + scans.length / 2] ^= 0x04;
        ArchiveVerifier.Verification verification = verify(archive);
        assertThat(verification.passed()).isFalse();
        assertThat(verification.problems()).anySatisfy(problem -> assertThat(problem).startsWith(SCANS));
    }

    @Test
    void aCountThatDiffersFromTheManifestIsNamed() throws IOException {
        List<DumpFile> listed = new ArrayList<>(files);
        listed.set(2, new DumpFile(USERS, 21, files.get(2).bytes(), files.get(2).sha256()));
        ArchiveVerifier.Verification verification = verify(archive(manifest(listed), List.of(SCANS, SCANS_METADATA, USERS)));
        assertThat(verification.problems()).containsExactly(USERS + ": 20 documents, the manifest says 21");
    }

    @Test
    void aFileMissingFromTheArchiveOrFromTheManifestIsNamed() throws IOException {
        assertThat(verify(archive(manifest(files), List.of(SCANS, SCANS_METADATA))).problems())
                .containsExactly(USERS + ": in the manifest but not in the archive");
        assertThat(verify(archive(manifest(files.subList(0, 2)), List.of(SCANS, SCANS_METADATA, USERS))).problems())
                .containsExactly(USERS + ": in the archive but not in the manifest");
    }

    @Test
    void aChecksumThatDiffersIsNamed() throws IOException {
        List<DumpFile> listed = new ArrayList<>(files);
        listed.set(0, new DumpFile(SCANS, 300, files.get(0).bytes(), "0".repeat(64)));
        assertThat(verify(archive(manifest(listed), List.of(SCANS, SCANS_METADATA, USERS))).problems())
                .containsExactly(SCANS + ": SHA-256 " + files.get(0).sha256() + ", the manifest says " + "0".repeat(64));
    }

    @Test
    void aCutShortArchiveFailsWithWhereItWasCut() throws IOException {
        byte[] archive = archive();
        ArchiveVerifier.Verification verification = verify(Arrays.copyOf(archive, archive.length / 2));
        assertThat(verification.passed()).isFalse();
        assertThat(verification.problems()).singleElement().asString().contains("cut short");
    }

    @Test
    void anArchiveWithoutItsManifestFirstOrWithAnUnknownFormatFails() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackupArchive.pack(staging, List.of(SCANS), out);
        assertThat(verify(out.toByteArray()).problems()).first().asString().contains("does not start with manifest.json");

        BackupManifest future = new BackupManifest(2, "9.0", "b-1", "phishnet", null, null, null, List.of(), List.of(),
                List.of());
        assertThat(verify(archive(future, List.of())).problems()).first().asString().contains("format 2");
    }
}
