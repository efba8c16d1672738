package com.phishnet.store.backup;

import static com.phishnet.store.backup.TestArchive.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.phishnet.store.backup.ArchiveContents.CollectionDocument;
import com.phishnet.store.backup.ArchiveContents.CollectionEnd;
import com.phishnet.store.backup.ArchiveContents.CollectionStart;
import com.phishnet.store.backup.ArchiveContents.Item;
import com.phishnet.store.backup.ArchiveContents.Manifest;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveContentsTest {

    static final String SCANS = "dump/phishnet/scan_results.bson.gz";
    static final String USERS_METADATA = "dump/phishnet/users.metadata.json.gz";

    @TempDir
    Path staging;

    List<RawBsonDocument> scans = DumpFileTest.documents().subList(0, 300);
    List<RawBsonDocument> users = DumpFileTest.documents().subList(300, 320);
    TestArchive archive;

    @BeforeEach
    void stageTwoCollections() {
        archive = new TestArchive(staging, "phishnet")
                .collection(RestoreCommandsTest.listed("scan_results"), RestoreCommandsTest.indexes(), scans)
                .collection(RestoreCommandsTest.listedUsers(), RestoreCommandsTest.usersIndexes(), users);
    }

    static List<Item> readAll(byte[] archive, boolean readDocuments) {
        try (ArchiveContents contents = ArchiveContents.of(new ByteArrayInputStream(archive), JSON, readDocuments)) {
            List<Item> items = new ArrayList<>();
            contents.forEach(items::add);
            return items;
        }
    }

    static List<RawBsonDocument> documents(List<Item> items) {
        return items.stream().filter(CollectionDocument.class::isInstance)
                .map(item -> ((CollectionDocument) item).document()).toList();
    }

    @Test
    void documentsComeOutInOrderBetweenTheirCollectionsMetadataAndItsEnd() {
        List<Item> items = readAll(archive.bytes(), true);

        assertThat(items).hasSize(1 + 2 + 300 + 2 + 20);
        assertThat(items.get(0)).isEqualTo(new Manifest(archive.manifest()));
        assertThat(((CollectionStart) items.get(1)).metadata().getString("collectionName").getValue())
                .isEqualTo("scan_results");
        assertThat(items.get(302)).isEqualTo(new CollectionEnd(archive.manifest().collections().get(0), 300));
        assertThat(((CollectionStart) items.get(303)).metadata().getArray("indexes")).hasSize(4);
        assertThat(items.get(items.size() - 1)).isEqualTo(new CollectionEnd(archive.manifest().collections().get(1), 20));
        List<RawBsonDocument> expected = new ArrayList<>(scans);
        expected.addAll(users);
        assertThat(documents(items)).containsExactlyElementsOf(expected);
    }

    @Test
    void documentsAreReadOneAtATimeNotAWholeFileAhead() {
        // Incompressible documents, so the compressed file is as large as its documents: about 3 MiB.
        Random random = new Random(7);
        List<RawBsonDocument> large = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] payload = new byte[8 * 1024];
            random.nextBytes(payload);
            large.add(new RawBsonDocument(new BsonDocument("_id", new BsonInt32(i)).append("payload",
                    new BsonBinary(payload)), new BsonDocumentCodec()));
        }
        byte[] bytes = new TestArchive(staging, "phishnet")
                .collection(RestoreCommandsTest.listed("large"), RestoreCommandsTest.indexes(), large).bytes();
        CountingStream counted = new CountingStream(new ByteArrayInputStream(bytes));

        try (ArchiveContents contents = ArchiveContents.of(counted, JSON, true)) {
            Item item;
            while (!((item = contents.next()) instanceof CollectionDocument)) {
                assertThat(item).isNotNull();
            }
            long atFirst = counted.read;
            for (int i = 0; i < 9; i++) {
                contents.next();
            }
            long atTenth = counted.read;

            // The gzip buffer (64 KiB) and a few documents ahead at most, of an archive of about 3 MiB.
            assertThat(atFirst).isLessThan(160 * 1024);
            assertThat(atTenth - atFirst).isLessThan(160 * 1024);
            assertThat(bytes.length).isGreaterThan(3_000_000);
        }
    }

    @Test
    void withoutDocumentsTheFilesAreSkippedButStillCheckedAgainstTheManifest() {
        List<Item> items = readAll(archive.bytes(), false);
        assertThat(items).extracting(item -> item.getClass().getSimpleName()).containsExactly("Manifest",
                "CollectionStart", "CollectionEnd", "CollectionStart", "CollectionEnd");
        assertThat(items.get(2)).isEqualTo(new CollectionEnd(archive.manifest().collections().get(0), 300));

        byte[] flipped = flippedInside(archive.bytes(), SCANS);
        assertThatThrownBy(() -> readAll(flipped, false))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessageStartingWith(SCANS + ": SHA-256");
    }

    @Test
    void aCutShortArchiveFailsSayingSo() {
        byte[] whole = archive.bytes();
        for (int length : new int[] {700, whole.length / 3, whole.length / 2, whole.length - 2000}) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> readAll(cut, true))
                    .as("cut at %d of %d bytes", length, whole.length)
                    .isInstanceOf(ArchiveCorruptException.class)
                    .hasMessageContaining("cut short");
        }
    }

    @Test
    void anArchiveThatEndsBeforeACollectionOfItsManifestFailsNamingTheMissingFile() {
        byte[] shorter = archive.bytes(archive.manifest(), archive.paths().subList(0, 3));
        assertThatThrownBy(() -> readAll(shorter, true))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessage("The archive ends before " + USERS_METADATA + " (the metadata of users); it is cut short");
    }

    @Test
    void aFlippedByteInADocumentsFileFailsNamingTheFile() {
        byte[] flipped = flippedInside(archive.bytes(), SCANS);
        assertThatThrownBy(() -> readAll(flipped, true))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessageStartingWith(SCANS + ":");
    }

    @Test
    void aCountThatDiffersFromTheManifestFails() {
        BackupManifest manifest = archive.manifest();
        List<BackupManifest.Collection> collections = new ArrayList<>(manifest.collections());
        BackupManifest.Collection scansListed = collections.get(0);
        collections.set(0, new BackupManifest.Collection("scan_results", 301, scansListed.bsonFile(),
                scansListed.metadataFile()));
        BackupManifest miscounted = new BackupManifest(manifest.format(), manifest.service(), manifest.backupId(),
                manifest.database(), manifest.clusterTime(), manifest.createdAt(), manifest.tenantId(), manifest.keyIds(),
                collections, manifest.files());

        assertThatThrownBy(() -> readAll(archive.bytes(miscounted, archive.paths()), true))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessage(SCANS + ": 300 documents, the manifest says 301");
    }

    @Test
    void aDocumentsFileBeforeItsMetadataIsRefused() {
        List<String> paths = new ArrayList<>(archive.paths());
        paths.set(1, archive.paths().get(2));
        paths.set(2, archive.paths().get(1));
        assertThatThrownBy(() -> readAll(archive.bytes(archive.manifest(), paths), true))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessageStartingWith("The archive holds " + SCANS + " where its manifest puts "
                        + "dump/phishnet/scan_results.metadata.json.gz");
    }

    @Test
    void aFileAfterTheLastCollectionIsRefused() {
        List<String> paths = new ArrayList<>(archive.paths());
        paths.add(SCANS);
        assertThatThrownBy(() -> readAll(archive.bytes(archive.manifest(), paths), true))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessageStartingWith(SCANS + ": in the archive after its last collection");
    }

    @Test
    void aManifestOfAnotherFormatIsHandedOutButNothingAfterIt() {
        byte[] future = archive.format(2).bytes();
        try (ArchiveContents contents = ArchiveContents.of(new ByteArrayInputStream(future), JSON, true)) {
            assertThat(((Manifest) contents.next()).manifest().format()).isEqualTo(2);
            assertThat(contents.next()).isNull();
        }
    }

    @Test
    void theManifestAloneNeedsOnlyTheArchivesFirstFile() throws IOException {
        byte[] whole = archive.bytes();
        // A tar is read in records of 10 KiB: the first holds the manifest and the start of the next file.
        int firstRecord = 10 * 1024;
        assertThat(512 + Files.size(staging.resolve(BackupArchive.MANIFEST))).isLessThan(firstRecord);
        Path cut = Files.write(staging.resolve("cut.tar"), Arrays.copyOf(whole, firstRecord));
        assertThatThrownBy(() -> readAll(Files.readAllBytes(cut), false)).isInstanceOf(ArchiveCorruptException.class);

        assertThat(ArchiveContents.manifestOf(cut, JSON)).isEqualTo(archive.manifest());
    }

    @Test
    void anEncryptedArchiveMustBeDecryptedFirst() throws IOException {
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        ArchiveCipher.encrypt(new ByteArrayInputStream(archive.bytes()), encrypted, "backup-1", new byte[32],
                new SecureRandom());
        Path file = Files.write(staging.resolve("encrypted.tar"), encrypted.toByteArray());

        assertThatThrownBy(() -> ArchiveContents.open(file, JSON, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decrypt it");
    }

    @Test
    void itsContentsAreReadOnce() {
        try (ArchiveContents contents = ArchiveContents.of(new ByteArrayInputStream(archive.bytes()), JSON, true)) {
            contents.iterator();
            assertThatThrownBy(contents::iterator).isInstanceOf(IllegalStateException.class);
        }
    }

    /** The archive with one bit flipped in the middle of the staged file at {@code path}. */
    byte[] flippedInside(byte[] whole, String path) {
        byte[] file = archive.staged(path);
        int at = BackupArchiveTest.indexOf(whole, Arrays.copyOf(file, 64));
        assertThat(at).isPositive();
        byte[] flipped = whole.clone();
        flipped[at + file.length / 2] ^= 0x04;
        return flipped;
    }

    private static final class CountingStream extends FilterInputStream {

        long read;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                read++;
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = super.read(bytes, offset, length);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }
}
