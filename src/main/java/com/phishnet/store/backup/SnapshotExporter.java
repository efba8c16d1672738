package com.phishnet.store.backup;

import java.time.Instant;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.mongodb.ClientSessionOptions;
import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.ClientSession;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.backup.BackupManifest.ClusterTime;
import com.phishnet.store.credentials.CredentialFields;
import com.phishnet.store.erasure.ErasureFields;
import com.phishnet.store.retention.RetentionFields;
import com.phishnet.store.streams.StreamTicketFields;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Reads the service database at one point in time into mongodump's layout under a staging directory.
 * <p>
 * Every collection is read in one snapshot session ({@code readConcern: snapshot}): the first read fixes the
 * cluster time ({@code atClusterTime} in the server's answer, majority-committed) and the driver sends it with
 * every later read of the session, so all collections show the database as it was at that instant: a scan's four
 * records are all in the backup or none is. The first read is an {@code aggregate} because a {@code find} that
 * matches nothing does not return {@code atClusterTime} (SERVER-83472). The server keeps the history for
 * {@code minSnapshotHistoryWindowInSeconds}: a backup still reading after that fails with SnapshotTooOld, which is
 * reported as {@link SnapshotWindowExceededException} — never a backup mixing two points in time.
 * <p>
 * {@code listCollections} and {@code listIndexes} do not accept snapshot reads; they run outside the session, so
 * options and indexes are those of the moment each collection is reached.
 */
@Repository
public class SnapshotExporter {

    /** Internal or short-lived collections that are not data: the migrations' own, leases, tickets, backups. */
    static final Set<String> NOT_DATA = Set.of(BackupFields.COLLECTION, "leases",
            StreamTicketFields.COLLECTION, "mongockChangeLog", "mongockLock");

    /**
     * Collections whose documents hold sealed fields ({@code {keyId, ciphertext}}); their key ids go into the
     * manifest. SealedCollectionsTest keeps this list in step with the stored records.
     */
    static final Set<String> SEALED = Set.of(CredentialFields.COLLECTION, ErasureFields.COLLECTION);

    private static final int SNAPSHOT_TOO_OLD = 239;
    private static final int SNAPSHOT_UNAVAILABLE = 246;

    private final ReactiveMongoDatabaseFactory databases;
    private final Scheduler compression;
    private final Clock clock;
    private final int batchSize;
    private final Duration snapshotWindow;

    public SnapshotExporter(ReactiveMongoDatabaseFactory databases, Scheduler backupScheduler, Clock clock,
            BackupProperties properties) {
        this.databases = databases;
        this.compression = backupScheduler;
        this.clock = clock;
        this.batchSize = properties.batchSize();
        this.snapshotWindow = properties.snapshotWindow();
    }

    /**
     * What to export.
     *
     * @param tenantId    only documents whose {@code tenantId} is this one (a tenant export); null for all
     * @param collections only these (each must be a data collection); null or empty for every data collection
     */
    public record Plan(String backupId, String tenantId, List<String> collections, Map<String, Selection> selections) {

        public Plan(String backupId, String tenantId, List<String> collections) {
            this(backupId, tenantId, collections, Map.of());
        }

        Selection selection(String collection) {
            Selection chosen = selections == null ? null : selections.get(collection);
            return chosen != null ? chosen : new Selection(filter(collection, tenantId), null, 0);
        }
    }

    /**
     * Which documents of one collection an export holds, in which order, and at most how many (0: all): what a
     * retention run archives. {@code sort} must be served by an index (a blocking sort of a large selection fails).
     */
    public record Selection(Bson filter, Bson sort, int limit) {
    }

    /** What the export wrote: the manifest (without {@code files} of its own) and the files in archive order. */
    public record Export(BackupManifest manifest, List<String> paths) {
    }

    /** Told the documents written since the last call, as the export goes; may slow the export down (it is awaited). */
    public interface Progress {
        Mono<Void> documents(String collection, long written);
    }

    /** The data collections the database has now, by name: what a backup without a list holds. */
    public Mono<List<String>> dataCollections() {
        return databases.getMongoDatabase().flatMap(database -> collectionEntries(database).map(entry ->
                entry.getString("name").getValue()).collectList());
    }

    public Mono<Export> export(Plan plan, Path staging, String serviceVersion, Progress progress) {
        ClientSessionOptions snapshot = ClientSessionOptions.builder().snapshot(true).causallyConsistent(false).build();
        return databases.getMongoDatabase().flatMap(database -> Mono.usingWhen(databases.getSession(snapshot),
                session -> export(database, session, plan, staging, serviceVersion, progress),
                session -> Mono.fromRunnable(session::close)));
    }

    private Mono<Export> export(MongoDatabase database, ClientSession session, Plan plan, Path staging,
            String serviceVersion, Progress progress) {
        var started = clock.instant();
        return selected(database, plan)
                .flatMap(entries -> pinClusterTime(database, session, entries.get(0))
                        .flatMap(time -> Flux.fromIterable(entries)
                                .concatMap(entry -> collection(database, session, entry, plan, staging, progress), 1)
                                .collectList()
                                .map(written -> export(plan, database.getName(), time, started, serviceVersion, written))))
                .onErrorMap(SnapshotExporter::windowExceeded, failure -> new SnapshotWindowExceededException(
                        snapshotWindow, Duration.between(started, clock.instant()), failure))
                .onErrorMap(SnapshotExporter::catalogChanged, failure -> new IllegalStateException("A collection was "
                        + "created, dropped or re-indexed after the backup's cluster time, so it cannot be read at that "
                        + "time (" + failure.getMessage() + "); start the backup again", failure));
    }

    /** The collections to export, in name order, each as {@code listCollections} describes it. */
    private Mono<List<BsonDocument>> selected(MongoDatabase database, Plan plan) {
        return collectionEntries(database).collectList().flatMap(entries -> {
            if (plan.collections() == null || plan.collections().isEmpty()) {
                return entries.isEmpty() ? Mono.error(new IllegalStateException("The database holds no data collection"))
                        : Mono.just(entries);
            }
            List<String> unknown = new ArrayList<>(plan.collections());
            unknown.removeAll(entries.stream().map(entry -> entry.getString("name").getValue()).toList());
            if (!unknown.isEmpty()) {
                return Mono.error(new UnknownCollectionsException(unknown));
            }
            return Mono.just(entries.stream().filter(entry -> plan.collections()
                    .contains(entry.getString("name").getValue())).toList());
        });
    }

    private static Flux<BsonDocument> collectionEntries(MongoDatabase database) {
        return Flux.from(database.listCollections(BsonDocument.class))
                .filter(SnapshotExporter::isData)
                .sort((a, b) -> a.getString("name").getValue().compareTo(b.getString("name").getValue()));
    }

    /** Plain collections that are not internal; views and time series are left out (docs/backups.md). */
    static boolean isData(BsonDocument entry) {
        String name = entry.getString("name").getValue();
        String type = entry.getString("type", new BsonString("collection")).getValue();
        return type.equals("collection") && !name.startsWith("system.") && !NOT_DATA.contains(name);
    }

    /** The first snapshot read of the session: its answer carries the cluster time every later read uses. */
    private Mono<BsonTimestamp> pinClusterTime(MongoDatabase database, ClientSession session, BsonDocument first) {
        return Flux.from(database.getCollection(first.getString("name").getValue(), RawBsonDocument.class)
                        .aggregate(session, List.of(new Document("$limit", 1))))
                .then(Mono.fromSupplier(() -> session.getSnapshotTimestamp()))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("The server answered a snapshot read "
                        + "without its cluster time; backups need a replica set of MongoDB 5.0 or newer")));
    }

    private record Written(String name, DumpFile metadata, DumpFile bson, Set<String> keyIds) {
    }

    private Mono<Written> collection(MongoDatabase database, ClientSession session, BsonDocument entry, Plan plan,
            Path staging, Progress progress) {
        String name = entry.getString("name").getValue();
        String db = database.getName();
        return Flux.from(database.getCollection(name).listIndexes(BsonDocument.class)).collectList()
                .publishOn(compression)
                .map(indexes -> {
                    String path = DumpLayout.metadataPath(db, name);
                    try (DumpFileWriter metadata = new DumpFileWriter(staging.resolve(path), path)) {
                        metadata.writeBytes(DumpLayout.metadata(entry, indexes));
                        return metadata.finish();
                    }
                })
                .flatMap(metadata -> documents(database, session, name, plan, staging, progress)
                        .map(written -> new Written(name, metadata, written.file(), written.keyIds())));
    }

    private record Documents(DumpFile file, Set<String> keyIds) {
    }

    /**
     * The collection's documents, as the server sent them, into its gzip file. The driver fetches the next batch
     * while this one is compressed; at most one batch waits between them.
     */
    private Mono<Documents> documents(MongoDatabase database, ClientSession session, String name, Plan plan,
            Path staging, Progress progress) {
        String path = DumpLayout.bsonPath(database.getName(), name);
        Set<String> keyIds = new TreeSet<>();
        boolean sealed = SEALED.contains(name);
        return Mono.using(() -> new DumpFileWriter(staging.resolve(path), path),
                writer -> Flux.from(database.getCollection(name, RawBsonDocument.class)
                                .find(session, plan.selection(name).filter())
                                .sort(plan.selection(name).sort())
                                .limit(plan.selection(name).limit())
                                .batchSize(batchSize))
                        .publishOn(compression, batchSize)
                        .doOnNext(document -> {
                            writer.write(document);
                            if (sealed) {
                                collectKeyIds(document, keyIds);
                            }
                        })
                        .buffer(batchSize)
                        .concatMap(batch -> progress.documents(name, batch.size()), 1)
                        .then(Mono.fromCallable(writer::finish).subscribeOn(compression))
                        .map(file -> new Documents(file, keyIds)),
                DumpFileWriter::close);
    }

    /** Collections with one document per tenant, whose {@code _id} is the tenant id: a tenant export takes its own. */
    static final Set<String> KEYED_BY_TENANT = Set.of(AuditFields.CHECKPOINTS, RetentionFields.POLICIES);

    static Bson filter(String collection, String tenantId) {
        if (tenantId == null) {
            return new BsonDocument();
        }
        return Filters.eq(KEYED_BY_TENANT.contains(collection) ? "_id" : "tenantId", tenantId);
    }

    /** Every {@code keyId} of a sealed value ({@code {keyId: string, ciphertext: binary}}) anywhere in the document. */
    static void collectKeyIds(BsonDocument document, Set<String> into) {
        BsonValue keyId = document.get(CredentialFields.SEALED_KEY_ID);
        if (keyId != null && keyId.isString() && document.get(CredentialFields.SEALED_CIPHERTEXT) instanceof BsonBinary) {
            into.add(keyId.asString().getValue());
            return;
        }
        for (BsonValue value : document.values()) {
            collectKeyIds(value, into);
        }
    }

    private static void collectKeyIds(BsonValue value, Set<String> into) {
        if (value.isDocument()) {
            collectKeyIds(value.asDocument(), into);
        }
        else if (value instanceof BsonArray array) {
            array.forEach(element -> collectKeyIds(element, into));
        }
    }

    private static Export export(Plan plan, String database, BsonTimestamp time, Instant started,
            String serviceVersion, List<Written> written) {
        List<BackupManifest.Collection> collections = new ArrayList<>();
        List<DumpFile> files = new ArrayList<>();
        Set<String> keyIds = new TreeSet<>();
        for (Written collection : written) {
            collections.add(new BackupManifest.Collection(collection.name(), collection.bson().documents(),
                    collection.bson().path(), collection.metadata().path()));
            files.add(collection.metadata());
            files.add(collection.bson());
            keyIds.addAll(collection.keyIds());
        }
        var manifest = new BackupManifest(BackupManifest.FORMAT, serviceVersion, plan.backupId(), database,
                new ClusterTime(time.getTime(), time.getInc()), started, plan.tenantId(), List.copyOf(keyIds),
                collections, files);
        return new Export(manifest, files.stream().map(DumpFile::path).toList());
    }

    static boolean windowExceeded(Throwable failure) {
        return failure instanceof MongoException mongo && mongo.getCode() == SNAPSHOT_TOO_OLD;
    }

    /** SnapshotUnavailable: the collection's catalog changed after the cluster time; a new backup will do. */
    static boolean catalogChanged(Throwable failure) {
        return failure instanceof MongoException mongo && mongo.getCode() == SNAPSHOT_UNAVAILABLE;
    }

    /** Some requested collections are not data collections of the database. */
    public static final class UnknownCollectionsException extends RuntimeException {

        private final List<String> unknown;

        UnknownCollectionsException(List<String> unknown) {
            super("Not data collections of this database: " + unknown);
            this.unknown = List.copyOf(unknown);
        }

        public List<String> unknown() {
            return unknown;
        }
    }

    /** The backup outlived the server's snapshot history: it is refused rather than mixing two points in time. */
    public static final class SnapshotWindowExceededException extends RuntimeException {

        SnapshotWindowExceededException(Duration window, Duration elapsed, Throwable cause) {
            super("The backup could not finish reading at its cluster time: after " + elapsed.toSeconds()
                    + " s the server no longer held that snapshot (" + cause.getMessage() + "). MongoDB keeps snapshot "
                    + "history for minSnapshotHistoryWindowInSeconds (300 s by default; this service expects "
                    + window.toSeconds() + " s). Back up fewer collections or one tenant at a time, raise "
                    + "minSnapshotHistoryWindowInSeconds on the server (it costs WiredTiger cache), or use a "
                    + "backup made for large data sets: Atlas cloud backups with point-in-time restore, or "
                    + "mongodump --oplog against the replica set (docs/backups.md).", cause);
        }
    }
}
