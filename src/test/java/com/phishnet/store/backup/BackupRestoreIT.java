package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;

import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import com.phishnet.store.users.UserFields;
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
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.mongodb.core.SimpleReactiveMongoDatabaseFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A backup of a migrated database, made with the service's own writers from what listCollections, listIndexes and
 * find return for the collections a backup holds ({@link SnapshotExporter#isData}), restored into a fresh database
 * on a real server: the same documents byte for byte, the same index specs, the same collection options. The
 * restore runs once; each test checks one part of its outcome.
 */
@RequiresRealMongo
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRestoreIT {

    private static final int USERS = 120;
    /** More than one batch by count, and about 9 MiB: more than one by size. */
    private static final int SCANS = 1500;
    private static final int AUDIT_ENTRIES = 40;

    @TempDir
    static Path staging;

    private MongoTestDatabase source;
    private MongoTestDatabase target;
    private BackupRestorer restorer;
    private BackupManifest manifest;
    private Path archive;
    private RestoreReport report;

    @BeforeAll
    void seedDumpAndRestore() {
        source = MongoTestDatabase.create();
        target = MongoTestDatabase.create();
        MigratedTemplate.on(source);
        seed(source.database());
        archive = dump(source.database());
        manifest = ArchiveContents.manifestOf(archive, TestArchive.JSON);
        KeyRing keys = new KeyRing(Map.of("k1", BackupRestorerTest.filled(1)), "k1", BackupRestorerTest.filled(2));
        // The source plays the service's own database, as it would when the service restores its own backup.
        restorer = new BackupRestorer(new RestoreRepository(source.client(),
                new SimpleReactiveMongoDatabaseFactory(source.client(), source.name())), keys, TestArchive.JSON);
        report = restorer.restore(archive, target.name(), false, written -> { }).block();
    }

    @AfterAll
    void dropBothDatabases() {
        restorer.destroy();
        target.close();
        source.close();
    }

    @Test
    void everyCollectionOfTheArchiveIsRestoredWithItsDocumentsCounted() {
        long dumped = manifest.collections().stream().mapToLong(BackupManifest.Collection::documents).sum();
        assertThat(dumped).isGreaterThanOrEqualTo(USERS + SCANS + AUDIT_ENTRIES);
        assertThat(report.documentsWritten()).isEqualTo(dumped);
        assertThat(report.collections()).extracting(RestoreReport.CollectionReport::name)
                .containsExactlyElementsOf(manifest.collections().stream().map(BackupManifest.Collection::name).toList());
        assertThat(collections(target.database()).keySet())
                .containsExactlyElementsOf(backedUp(source.database()).keySet());
    }

    @Test
    void everyDocumentComesBackByteForByte() {
        long compared = 0;
        for (String collection : backedUp(source.database()).keySet()) {
            List<String> dumped = documents(source.database(), collection);
            assertThat(documents(target.database(), collection)).as(collection).containsExactlyElementsOf(dumped);
            compared += dumped.size();
        }
        assertThat(compared).isEqualTo(report.documentsWritten());
    }

    @Test
    void everyIndexComesBackWithTheSpecItWasDumpedWith() {
        int compared = 0;
        for (String collection : backedUp(source.database()).keySet()) {
            List<String> dumped = indexSpecs(source.database(), collection);
            assertThat(indexSpecs(target.database(), collection)).as(collection).containsExactlyElementsOf(dumped);
            compared += dumped.size();
        }
        // The migrations' unique, partial, text and TTL indexes, not only the _id indexes.
        assertThat(compared).isGreaterThan(backedUp(source.database()).size() * 2);
    }

    @Test
    void everyCollectionKeepsItsValidatorAndOtherOptions() {
        Map<String, String> dumped = backedUp(source.database());
        assertThat(dumped.values()).anySatisfy(options -> assertThat(options).contains("$jsonSchema"));
        assertThat(collections(target.database())).isEqualTo(dumped);
    }

    @Test
    void aSecondRestoreIntoTheNowFilledDatabaseIsRefusedAndWritesNothing() {
        Map<String, String> collectionsBefore = collections(target.database());
        Map<String, List<String>> documentsBefore = everyDocument(target.database());

        assertThatThrownBy(() -> restorer.restore(archive, target.name(), false, written -> { }).block())
                .isInstanceOfSatisfying(RestoreRefusedException.class, refused -> assertThat(refused.conflicts())
                        .singleElement().asString().contains("already holds collections"));
        assertThat(collections(target.database())).isEqualTo(collectionsBefore);
        assertThat(everyDocument(target.database())).isEqualTo(documentsBefore);
    }

    // Seeding: documents of every BSON type the service stores, in collections with validators and unique indexes.
    // Inserted past the validators: the restore must copy what is there, whatever it is.

    private static void seed(MongoDatabase database) {
        Random random = new Random(11);
        List<BsonDocument> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(typed(i).append(UserFields.EMAIL_NORMALIZED, new BsonString("user-" + i + "@acme.test")));
        }
        List<BsonDocument> scans = new ArrayList<>();
        for (int i = 0; i < SCANS; i++) {
            byte[] payload = new byte[6 * 1024];
            random.nextBytes(payload);
            scans.add(typed(i).append("payload", new BsonBinary(payload)));
        }
        List<BsonDocument> audit = new ArrayList<>();
        for (int i = 0; i < AUDIT_ENTRIES; i++) {
            audit.add(typed(i).append(AuditFields.SEQUENCE, new BsonInt64(i + 1)));
        }
        insert(database, UserFields.COLLECTION, users);
        insert(database, ScanFields.COLLECTION, scans);
        insert(database, AuditFields.COLLECTION, audit);
    }

    private static void insert(MongoDatabase database, String collection, List<BsonDocument> documents) {
        Mono.from(database.getCollection(collection, BsonDocument.class)
                .insertMany(documents, new InsertManyOptions().bypassDocumentValidation(true))).block();
    }

    private static BsonDocument typed(int i) {
        return new BsonDocument("_id", new BsonObjectId(new ObjectId()))
                .append("tenantId", new BsonString("acme"))
                .append("at", new BsonDateTime(1_790_000_000_000L + i))
                .append("sequence", new BsonInt64(Long.MAX_VALUE - i))
                .append("count", new BsonInt32(i))
                .append("score", new BsonDouble(i / 7.0))
                .append("exact", new BsonDecimal128(new Decimal128(new BigDecimal("12345.6789"))))
                .append("sealed", new BsonBinary(BsonBinarySubType.BINARY, HexFormat.of().parseHex("01a2b3c4d5e6f7")))
                .append("uuid", new BsonBinary(UUID.nameUUIDFromBytes(new byte[] {(byte) i})))
                .append("flag", BsonBoolean.valueOf(i % 2 == 0))
                .append("none", BsonNull.VALUE)
                .append("clusterTime", new BsonTimestamp(1_790_000_000, i))
                .append("indicators", new BsonArray(List.of(new BsonDocument("kind", new BsonString("url"))
                        .append("weights", new BsonArray(List.of(new BsonDouble(0.5), new BsonInt32(2)))))));
    }

    // Dumping, as a backup does: each data collection's listCollections entry and listIndexes specs through
    // DumpLayout, its documents exactly as find returns them, packed with the manifest first.

    private static Path dump(MongoDatabase database) {
        TestArchive archive = new TestArchive(staging, database.getName()).keyIds("k1");
        List<BsonDocument> listed = Flux.from(database.listCollections(BsonDocument.class))
                .filter(SnapshotExporter::isData)
                .sort((a, b) -> a.getString("name").getValue().compareTo(b.getString("name").getValue()))
                .collectList().block();
        for (BsonDocument collection : listed) {
            String name = collection.getString("name").getValue();
            List<BsonDocument> indexes = Flux.from(database.getCollection(name).listIndexes(BsonDocument.class))
                    .collectList().block();
            List<RawBsonDocument> documents = Flux.from(database.getCollection(name, RawBsonDocument.class).find())
                    .collectList().block();
            archive.collection(collection, indexes, documents);
        }
        return archive.writeTo(staging.resolve("backup.tar"));
    }

    // Reading back.

    /** Each collection that is not the server's own, by name, with its type and options as canonical JSON. */
    private static Map<String, String> collections(MongoDatabase database) {
        return described(database, collection -> !collection.getString("name").getValue().startsWith("system."));
    }

    /** What a backup holds: the data collections. */
    private static Map<String, String> backedUp(MongoDatabase database) {
        return described(database, SnapshotExporter::isData);
    }

    private static Map<String, String> described(MongoDatabase database, Predicate<BsonDocument> which) {
        Map<String, String> collections = new LinkedHashMap<>();
        Flux.from(database.listCollections(BsonDocument.class))
                .filter(which)
                .sort((a, b) -> a.getString("name").getValue().compareTo(b.getString("name").getValue()))
                .doOnNext(collection -> collections.put(collection.getString("name").getValue(),
                        collection.getString("type").getValue() + " "
                                + RestoreCommandsTest.canonical(collection.getDocument("options"))))
                .blockLast();
        return collections;
    }

    /** Each document's bytes as hex, in _id order. */
    private static List<String> documents(MongoDatabase database, String collection) {
        return Flux.from(database.getCollection(collection, RawBsonDocument.class).find().sort(Sorts.ascending("_id")))
                .map(document -> {
                    java.nio.ByteBuffer bytes = document.getByteBuffer().asNIO();
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    return HexFormat.of().formatHex(copy);
                })
                .collectList().block();
    }

    private static Map<String, List<String>> everyDocument(MongoDatabase database) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        collections(database).keySet().forEach(collection -> all.put(collection, documents(database, collection)));
        return all;
    }

    /** Index specs as canonical JSON without what the server fills in (ns before 4.4, v), by name. */
    private static List<String> indexSpecs(MongoDatabase database, String collection) {
        return Flux.from(database.getCollection(collection).listIndexes(BsonDocument.class))
                .map(spec -> {
                    spec.remove("ns");
                    spec.remove("v");
                    return spec;
                })
                .sort((a, b) -> a.getString("name").getValue().compareTo(b.getString("name").getValue()))
                .map(RestoreCommandsTest::canonical)
                .collectList().block();
    }
}
