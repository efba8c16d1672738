package com.phishnet.store.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a plain archive with the service's own writers, laid out as a backup lays it out: {@code manifest.json},
 * then for each collection its metadata file followed by its documents file.
 */
final class TestArchive {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path staging;
    private final String database;
    private final List<BackupManifest.Collection> collections = new ArrayList<>();
    private final List<DumpFile> files = new ArrayList<>();
    private List<String> keyIds = List.of("k1");
    private int format = BackupManifest.FORMAT;

    TestArchive(Path staging, String database) {
        this.staging = staging;
        this.database = database;
    }

    TestArchive keyIds(String... ids) {
        keyIds = List.of(ids);
        return this;
    }

    TestArchive format(int format) {
        this.format = format;
        return this;
    }

    /** A collection as a backup dumps it: its listCollections entry and listIndexes specs through DumpLayout. */
    TestArchive collection(BsonDocument listed, List<BsonDocument> indexes, Iterable<RawBsonDocument> documents) {
        return collection(listed.getString("name").getValue(), DumpLayout.metadata(listed, indexes), documents);
    }

    /** A collection with metadata as given, as canonical Extended JSON. */
    TestArchive collection(String name, BsonDocument metadata, Iterable<RawBsonDocument> documents) {
        return collection(name, metadata.toJson(JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build())
                .getBytes(StandardCharsets.UTF_8), documents);
    }

    TestArchive collection(String name, byte[] metadataJson, Iterable<RawBsonDocument> documents) {
        String metadataPath = DumpLayout.metadataPath(database, name);
        String bsonPath = DumpLayout.bsonPath(database, name);
        try (DumpFileWriter writer = new DumpFileWriter(staging.resolve(metadataPath), metadataPath)) {
            writer.writeBytes(metadataJson);
            files.add(writer.finish());
        }
        DumpFile dumped;
        try (DumpFileWriter writer = new DumpFileWriter(staging.resolve(bsonPath), bsonPath)) {
            documents.forEach(writer::write);
            dumped = writer.finish();
        }
        files.add(dumped);
        collections.add(new BackupManifest.Collection(name, dumped.documents(), bsonPath, metadataPath));
        return this;
    }

    BackupManifest manifest() {
        return new BackupManifest(format, "0.1.0", "b-1", database, new BackupManifest.ClusterTime(1_790_000_000L, 1),
                Instant.parse("2026-12-03T09:00:00Z"), null, keyIds, collections, files);
    }

    /** The files in the order a backup writes them. */
    List<String> paths() {
        List<String> paths = new ArrayList<>(List.of(BackupArchive.MANIFEST));
        collections.forEach(collection -> {
            paths.add(collection.metadataFile());
            paths.add(collection.bsonFile());
        });
        return paths;
    }

    /** The archive with its files in the given order, under the manifest given. */
    byte[] bytes(BackupManifest manifest, List<String> paths) {
        try {
            Files.write(staging.resolve(BackupArchive.MANIFEST), JSON.writeValueAsBytes(manifest));
        }
        catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackupArchive.pack(staging, paths, out);
        return out.toByteArray();
    }

    byte[] bytes() {
        return bytes(manifest(), paths());
    }

    Path writeTo(Path archive) {
        try (OutputStream out = Files.newOutputStream(archive)) {
            out.write(bytes());
            return archive;
        }
        catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** A staged file's bytes as they went into the archive. */
    byte[] staged(String path) {
        try {
            return Files.readAllBytes(staging.resolve(path));
        }
        catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
