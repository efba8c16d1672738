package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.phishnet.store.platform.crypto.Sha256;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpFileTest {

    @TempDir
    Path staging;

    /** Every BSON type the service stores, nested the way its documents nest them. */
    static List<RawBsonDocument> documents() {
        List<RawBsonDocument> documents = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            BsonDocument document = new BsonDocument("_id", new BsonObjectId(new ObjectId()))
                    .append("tenantId", new BsonString("acme"))
                    .append("at", new BsonDateTime(1_790_000_000_000L + i))
                    .append("sequence", new BsonInt64(Long.MAX_VALUE - i))
                    .append("count", new BsonInt32(i))
                    .append("score", new BsonDouble(i / 500.0))
                    .append("exact", new BsonDecimal128(new Decimal128(new BigDecimal("12345.6789"))))
                    .append("sealed", new BsonBinary(BsonBinarySubType.BINARY, HexFormat.of().parseHex("01a2b3c4d5e6f7")))
                    .append("uuid", new BsonBinary(java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i})))
                    .append("flag", BsonBoolean.valueOf(i % 2 == 0))
                    .append("none", BsonNull.VALUE)
                    .append("clusterTime", new BsonTimestamp(1_790_000_000, i))
                    .append("indicators", new BsonArray(List.of(new BsonDocument("kind", new BsonString("url"))
                            .append("weights", new BsonArray(List.of(new BsonDouble(0.5), new BsonInt32(2)))))));
            documents.add(new RawBsonDocument(document, new BsonDocumentCodec()));
        }
        return documents;
    }

    DumpFile write(Path file, List<RawBsonDocument> documents) {
        try (DumpFileWriter writer = new DumpFileWriter(file, "dump/phishnet/scan_results.bson.gz")) {
            documents.forEach(writer::write);
            return writer.finish();
        }
    }

    @Test
    void documentsComeBackByteForByteInOrderWithTheirCountSizeAndChecksum() throws IOException {
        Path file = staging.resolve("dump/phishnet/scan_results.bson.gz");
        List<RawBsonDocument> written = documents();
        DumpFile dumped = write(file, written);

        byte[] stored = Files.readAllBytes(file);
        assertThat(dumped.path()).isEqualTo("dump/phishnet/scan_results.bson.gz");
        assertThat(dumped.documents()).isEqualTo(500);
        assertThat(dumped.bytes()).isEqualTo(stored.length);
        assertThat(dumped.sha256()).isEqualTo(Sha256.hex(stored));
        List<RawBsonDocument> read = new ArrayList<>();
        assertThat(DumpReader.read(new ByteArrayInputStream(stored), dumped.path(), read::add)).isEqualTo(500);
        assertThat(read).containsExactlyElementsOf(written);
    }

    @Test
    void theFileIsPlainGzipOfConcatenatedBsonAsMongodumpWritesIt() throws IOException {
        Path file = staging.resolve("one.bson.gz");
        List<RawBsonDocument> written = documents().subList(0, 3);
        write(file, written);
        byte[] plain = new GZIPInputStream(Files.newInputStream(file)).readAllBytes();
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (RawBsonDocument document : written) {
            expected.write(document.getByteBuffer().array(), 0, document.getByteBuffer().limit());
        }
        assertThat(plain).isEqualTo(expected.toByteArray());
    }

    @Test
    void anEmptyCollectionIsAnEmptyGzipStream() throws IOException {
        Path file = staging.resolve("empty.bson.gz");
        DumpFile dumped = write(file, List.of());
        assertThat(dumped.documents()).isZero();
        assertThat(DumpReader.read(Files.newInputStream(file), "empty", document -> { })).isZero();
    }

    @Test
    void aCutShortFileSaysSoAndWhere() throws IOException {
        Path file = staging.resolve("cut.bson.gz");
        write(file, documents());
        byte[] stored = Files.readAllBytes(file);
        byte[] cut = java.util.Arrays.copyOf(stored, stored.length / 2);
        assertThatThrownBy(() -> DumpReader.read(new ByteArrayInputStream(cut), "dump/phishnet/cut.bson.gz", document -> { }))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessageContaining("dump/phishnet/cut.bson.gz")
                .hasMessageContaining("cut short");
    }

    @Test
    void aFlippedByteInTheCompressedDataIsCaught() throws IOException {
        Path file = staging.resolve("flipped.bson.gz");
        write(file, documents());
        byte[] stored = Files.readAllBytes(file);
        for (int at : new int[] {stored.length / 3, stored.length / 2, stored.length - 6}) {
            byte[] flipped = stored.clone();
            flipped[at] ^= 0x01;
            assertThatThrownBy(() -> DumpReader.read(new ByteArrayInputStream(flipped), "flipped", document -> { }))
                    .as("a flipped bit at byte %d", at)
                    .isInstanceOf(ArchiveCorruptException.class)
                    .hasMessageContaining("flipped");
        }
    }

    @Test
    void bytesThatAreNotBsonAreRefusedWithTheDocumentNumber() throws IOException {
        Path file = staging.resolve("foreign.bson.gz");
        try (DumpFileWriter writer = new DumpFileWriter(file, "foreign")) {
            writer.write(documents().get(0));
            // A length that claims 12 bytes, then garbage where elements should be.
            writer.writeBytes(new byte[] {12, 0, 0, 0, 0x7f, 'x', 0, 1, 2, 3, 4, 0});
            writer.finish();
        }
        assertThatThrownBy(() -> DumpReader.read(Files.newInputStream(file), "foreign", document -> { }))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessageContaining("document 2 does not decode");
    }

    @Test
    void aLengthNoDocumentHasIsRefusedBeforeAnythingIsAllocated() throws IOException {
        Path file = staging.resolve("huge.bson.gz");
        try (DumpFileWriter writer = new DumpFileWriter(file, "huge")) {
            writer.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
            writer.finish();
        }
        assertThatThrownBy(() -> DumpReader.read(Files.newInputStream(file), "huge", document -> { }))
                .isInstanceOf(ArchiveCorruptException.class)
                .hasMessageContaining("declares 2147483647 bytes");
    }
}
