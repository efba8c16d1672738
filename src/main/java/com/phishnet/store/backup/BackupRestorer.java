package com.phishnet.store.backup;

import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

import com.phishnet.store.backup.ArchiveContents.CollectionDocument;
import com.phishnet.store.backup.ArchiveContents.CollectionEnd;
import com.phishnet.store.backup.ArchiveContents.CollectionStart;
import com.phishnet.store.backup.ArchiveContents.Item;
import com.phishnet.store.backup.RestoreReport.CollectionReport;
import com.phishnet.store.platform.crypto.KeyRing;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Restores a plain (decrypted) archive into a new, empty database. Everything that could refuse the restore is
 * checked before anything is written: the target's name, that it is neither the service's own database nor one of
 * the server's, that it holds no collection at all, that the service holds every key that sealed the archive's
 * credentials, and the manifest's format. A dry run makes the same checks and reports what would be written
 * together with the conflicts, writing nothing. A real run refuses with {@link RestoreRefusedException} when there is
 * any conflict, and otherwise restores collection by collection in the archive's order: {@code create} with the
 * dumped options, the documents in ordered batches, then the secondary indexes, built once over the loaded
 * documents (see {@link RestoreCommands} for what is passed and why).
 *
 * <p>No transaction: a restore is far larger than a transaction may be (time and size), and {@code create} and
 * {@code createIndexes} inside one are restricted. So a restore that fails part-way (a corrupt file found late, the
 * server gone) leaves a partial target database, which must be dropped before retrying; until it is, a retry is
 * refused because the target is not empty. That check is what makes a restore without a transaction safe: it only
 * ever adds to a database that held nothing, so there is never live data to overwrite or mix with.
 *
 * <p>The archive is read on a bounded scheduler of this component's, never on an event-loop thread, one item per
 * request (a {@code subscribeOn}'d {@code Flux} also delivers the requests of its subscriber on its scheduler), so at
 * most a few batches are held at any time.
 */
@Component
public class BackupRestorer implements DisposableBean {

    static final Pattern DATABASE_NAME = Pattern.compile(BackupRequests.DATABASE_PATTERN);
    static final int MAX_BATCH_DOCUMENTS = 1000;
    static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;

    /** The server's own databases: never a restore's target, whatever they hold. */
    private static final Set<String> SERVER_DATABASES = Set.of("admin", "local", "config");

    private final RestoreRepository databases;
    private final KeyRing keys;
    private final JsonMapper json;
    private final Scheduler archiveReads;

    @Autowired
    BackupRestorer(RestoreRepository databases, KeyRing keys, JsonMapper json) {
        // Two threads: one restore reads on one thread at a time; the other serves a dry run or a manifest meanwhile.
        this(databases, keys, json, Schedulers.newBoundedElastic(2, 64, "backup-restore"));
    }

    BackupRestorer(RestoreRepository databases, KeyRing keys, JsonMapper json, Scheduler archiveReads) {
        this.databases = databases;
        this.keys = keys;
        this.json = json;
        this.archiveReads = archiveReads;
    }

    /**
     * Restores an archive into {@code targetDatabase}, or with {@code dryRun} reports what it would write.
     *
     * @param plainArchive an archive as {@link BackupArchive#pack} wrote it, decrypted if it was encrypted
     * @param progress     told the documents written so far after each batch
     * @return the report; for a dry run with its conflicts
     * @throws RestoreRefusedException  (as the Mono's error) when a real run meets a conflict; nothing was written
     * @throws ArchiveCorruptException  (as the Mono's error) when the archive is not as its manifest describes; a real
     *                                  run may have written part of it (see the class comment)
     */
    public Mono<RestoreReport> restore(Path plainArchive, String targetDatabase, boolean dryRun, LongConsumer progress) {
        return Mono.zip(targetConflicts(targetDatabase), manifest(plainArchive))
                .flatMap(checked -> {
                    BackupManifest manifest = checked.getT2();
                    List<String> conflicts = new ArrayList<>(checked.getT1());
                    conflicts.addAll(manifestConflicts(manifest));
                    if (dryRun) {
                        return plan(plainArchive, targetDatabase, manifest, conflicts);
                    }
                    if (!conflicts.isEmpty()) {
                        return Mono.error(new RestoreRefusedException(conflicts));
                    }
                    return write(plainArchive, targetDatabase, manifest, progress);
                });
    }

    /**
     * The conflicts known without reading the archive: the target, and the key ids the backup recorded (the same as
     * its manifest's). Lets a restore be refused before its job starts; {@link #restore} checks all again.
     */
    public Mono<List<String>> conflicts(String targetDatabase, Collection<String> keyIds) {
        return targetConflicts(targetDatabase).map(target -> {
            List<String> conflicts = new ArrayList<>(target);
            conflicts.addAll(keyConflicts(keyIds));
            return conflicts;
        });
    }

    /** After a restore: jobs RUNNING in the backup are FAILED in the target (see RestoreRepository). */
    public Mono<Long> settleInterruptedJobs(String targetDatabase, Instant now) {
        return databases.failRunningJobs(targetDatabase, now);
    }

    /** Why the target may not be written: an empty list when it may. */
    private Mono<List<String>> targetConflicts(String target) {
        if (target == null || !DATABASE_NAME.matcher(target).matches()) {
            return Mono.just(List.of("The target database name '" + target + "' is not 1 to 63 of A-Z a-z 0-9 _ -"));
        }
        if (SERVER_DATABASES.contains(target.toLowerCase(Locale.ROOT))) {
            return Mono.just(List.of("The target database '" + target + "' is one of the server's own databases"));
        }
        return databases.serviceDatabase().flatMap(own -> {
            // The server refuses two databases whose names differ only in case: such a name is the same database.
            if (own.equalsIgnoreCase(target)) {
                return Mono.just(List.of("The target database '" + target + "' is the service's own database; restore"
                        + " into a new database and point the service at it instead"));
            }
            return databases.collectionNames(target).map(names -> names.isEmpty() ? List.of()
                    : List.of("The target database '" + target + "' already holds collections (" + String.join(", ",
                            names) + "); a restore writes only into a database that holds none, never over live data"));
        });
    }

    private List<String> manifestConflicts(BackupManifest manifest) {
        List<String> conflicts = new ArrayList<>();
        if (manifest.format() != BackupManifest.FORMAT) {
            conflicts.add("The archive's manifest has format " + manifest.format() + "; this version restores format "
                    + BackupManifest.FORMAT);
        }
        conflicts.addAll(keyConflicts(manifest.keyIds()));
        return conflicts;
    }

    private List<String> keyConflicts(Collection<String> keyIds) {
        List<String> missing = missingKeys(keyIds);
        return missing.isEmpty() ? List.of() : List.of("The archive's credentials are sealed with keys this service "
                + "does not hold (" + String.join(", ", missing) + "); restored, they could not be opened. Add the keys"
                + " to the key ring first");
    }

    private List<String> missingKeys(Collection<String> needed) {
        if (needed == null) {
            return List.of();
        }
        Set<String> held = keys.keyIds();
        return needed.stream().filter(Objects::nonNull).filter(id -> !held.contains(id)).distinct().sorted().toList();
    }

    /** What a dry run reports: the collections as their metadata describes them, with the manifest's counts. */
    private Mono<RestoreReport> plan(Path archive, String target, BackupManifest manifest, List<String> conflicts) {
        if (manifest.format() != BackupManifest.FORMAT) {
            // Another format may lay its files out differently: nothing past its manifest can be read.
            return Mono.just(new RestoreReport(target, true, List.of(), conflicts, 0));
        }
        return contents(archive, false)
                .ofType(CollectionStart.class)
                .map(start -> collectionReport(start.collection().name(), start.collection().documents(), start.metadata()))
                .collectList()
                .map(collections -> new RestoreReport(target, true, collections, conflicts, 0));
    }

    private Mono<RestoreReport> write(Path archive, String target, BackupManifest checked, LongConsumer progress) {
        return Mono.defer(() -> {
            Run run = new Run(target, checked, progress);
            return batches(contents(archive, true))
                    // One batch written at a time, the next one read meanwhile: a few batches in memory at most.
                    .concatMap(run::write, 1)
                    .then(Mono.fromSupplier(run::report));
        });
    }

    /**
     * The archive's items grouped as they are written: each item that is not a document alone, and a collection's
     * documents in batches of at most {@link #MAX_BATCH_DOCUMENTS} and {@link #MAX_BATCH_BYTES} (a larger document
     * is a batch of its own), in order.
     */
    static Flux<List<Item>> batches(Flux<Item> items) {
        return Flux.defer(() -> {
            Batches batches = new Batches();
            return items.bufferUntilChanged(batches::keyOf);
        });
    }

    /** Read on the scheduler, closed however the reading ends. */
    private Flux<Item> contents(Path archive, boolean readDocuments) {
        return Flux.using(() -> ArchiveContents.open(archive, json, readDocuments), Flux::fromIterable,
                        ArchiveContents::close)
                .subscribeOn(archiveReads);
    }

    private Mono<BackupManifest> manifest(Path archive) {
        return Mono.fromCallable(() -> ArchiveContents.manifestOf(archive, json)).subscribeOn(archiveReads);
    }

    private static CollectionReport collectionReport(String name, long documents, BsonDocument metadata) {
        return new CollectionReport(name, documents, RestoreCommands.indexNames(metadata),
                RestoreCommands.hasValidator(metadata));
    }

    @Override
    public void destroy() {
        archiveReads.dispose();
    }

    /** Consecutive documents share a key until a batch is full; every other item has a key of its own. */
    private static final class Batches {

        private Object batch = new Object();
        private int documents;
        private long bytes;

        Object keyOf(Item item) {
            if (!(item instanceof CollectionDocument document)) {
                nextBatch();
                return new Object();
            }
            int size = document.document().getByteBuffer().remaining();
            if (documents > 0 && (documents == MAX_BATCH_DOCUMENTS || bytes + size > MAX_BATCH_BYTES)) {
                nextBatch();
            }
            documents++;
            bytes += size;
            return batch;
        }

        private void nextBatch() {
            batch = new Object();
            documents = 0;
            bytes = 0;
        }
    }

    /** One real run: writes each group of items in turn (never two at once: see concatMap above). */
    private final class Run {

        private final String target;
        private final BackupManifest checked;
        private final LongConsumer progress;
        private final AtomicLong written = new AtomicLong();
        private final List<CollectionReport> collections = new ArrayList<>();
        private BsonDocument metadata;

        Run(String target, BackupManifest checked, LongConsumer progress) {
            this.target = target;
            this.checked = checked;
            this.progress = progress;
        }

        Mono<Void> write(List<Item> group) {
            Item first = group.get(0);
            if (first instanceof ArchiveContents.Manifest read) {
                return read.manifest().equals(checked) ? Mono.empty() : Mono.error(new ArchiveCorruptException(
                        "The archive's manifest changed after the restore checked it; restore it again"));
            }
            if (first instanceof CollectionStart start) {
                metadata = start.metadata();
                return databases.run(target, RestoreCommands.create(start.collection().name(), metadata));
            }
            if (first instanceof CollectionEnd end) {
                return RestoreCommands.createIndexes(end.collection().name(), metadata)
                        .map(command -> databases.run(target, command))
                        .orElse(Mono.empty())
                        .then(Mono.fromRunnable(() -> collections.add(collectionReport(end.collection().name(), end.documents(),
                                metadata))));
            }
            return insert(((CollectionDocument) first).collection().name(), group);
        }

        private Mono<Void> insert(String collection, List<Item> group) {
            List<RawBsonDocument> documents = new ArrayList<>(group.size());
            group.forEach(item -> documents.add(((CollectionDocument) item).document()));
            return databases.insert(target, RestoreCommands.documentsCollection(collection, metadata), documents,
                            RestoreCommands.bypassesValidation(metadata))
                    .doOnNext(inserted -> progress.accept(written.addAndGet(inserted)))
                    .then();
        }

        RestoreReport report() {
            return new RestoreReport(target, false, collections, List.of(), written.get());
        }
    }
}
