package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.mongodb.reactivestreams.client.ListCollectionNamesPublisher;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.backup.ArchiveContents.CollectionDocument;
import com.phishnet.store.backup.ArchiveContents.CollectionEnd;
import com.phishnet.store.backup.ArchiveContents.CollectionStart;
import com.phishnet.store.backup.ArchiveContents.Item;
import com.phishnet.store.backup.RestoreReport.CollectionReport;
import com.phishnet.store.platform.crypto.KeyRing;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Subscriber;

import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The checks a restore makes before it writes anything, and what a dry run reports. The driver is mocked: only
 * which databases are asked for and what listCollectionNames answers matter here, no MongoDB behaviour (writes are
 * tested against a real server in BackupRestoreIT).
 */
class BackupRestorerTest {

    static final String TARGET = "restored";

    @TempDir
    Path staging;

    MongoClient client = mock(MongoClient.class);
    MongoDatabase target = mock(MongoDatabase.class);
    KeyRing keys = new KeyRing(Map.of("k1", filled(1), "k2", filled(2)), "k1", filled(3));
    BackupRestorer restorer;

    List<RawBsonDocument> users = DumpFileTest.documents().subList(0, 20);
    List<RawBsonDocument> scans = DumpFileTest.documents().subList(20, 320);

    @BeforeEach
    void serviceOnPhishnetAndAnEmptyTarget() {
        MongoDatabase service = mock(MongoDatabase.class);
        when(service.getName()).thenReturn("phishnet");
        ReactiveMongoDatabaseFactory databases = mock(ReactiveMongoDatabaseFactory.class);
        when(databases.getMongoDatabase()).thenReturn(Mono.just(service));
        when(client.getDatabase(TARGET)).thenReturn(target);
        targetHolds();
        restorer = new BackupRestorer(new RestoreRepository(client, databases), keys, TestArchive.JSON,
                Schedulers.newBoundedElastic(1, 16, "restore-test"));
    }

    @AfterEach
    void disposeTheScheduler() {
        restorer.destroy();
    }

    void targetHolds(String... collections) {
        ListCollectionNamesPublisher names = mock(ListCollectionNamesPublisher.class);
        doAnswer(call -> {
            Flux.fromArray(collections).subscribe(call.<Subscriber<String>>getArgument(0));
            return null;
        }).when(names).subscribe(any());
        when(target.listCollectionNames()).thenReturn(names);
    }

    TestArchive archive() {
        return new TestArchive(staging, "phishnet").keyIds("k1", "k2")
                .collection(RestoreCommandsTest.listedUsers(), RestoreCommandsTest.usersIndexes(), users)
                .collection(RestoreCommandsTest.listed("scan_results"), RestoreCommandsTest.indexes(), scans);
    }

    Path write(TestArchive archive) {
        return archive.writeTo(staging.resolve("backup.tar"));
    }

    List<String> refusal(Path archive, String target) {
        List<String> conflicts = new ArrayList<>();
        StepVerifier.create(restorer.restore(archive, target, false, written -> { }))
                .expectErrorSatisfies(refused -> conflicts.addAll(((RestoreRefusedException) refused).conflicts()))
                .verify();
        return conflicts;
    }

    void assertNothingWritten() {
        verify(target, never()).runCommand(any(Bson.class));
        verify(target, never()).getCollection(anyString());
        verify(target, never()).getCollection(anyString(), any());
        verify(target, never()).createCollection(anyString());
    }

    @Test
    void refusesATargetThatAlreadyHoldsCollections() {
        targetHolds("scan_results", "users");
        assertThat(refusal(write(archive()), TARGET)).containsExactly("The target database 'restored' already holds"
                + " collections (scan_results, users); a restore writes only into a database that holds none, never"
                + " over live data");
        assertNothingWritten();
    }

    @ParameterizedTest
    @ValueSource(strings = {"phishnet", "PhishNet"})
    void refusesTheServicesOwnDatabaseWhateverTheCase(String own) {
        assertThat(refusal(write(archive()), own)).singleElement().asString().contains("is the service's own database");
        verify(client, never()).getDatabase(anyString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "Local", "config"})
    void refusesTheServersOwnDatabases(String server) {
        assertThat(refusal(write(archive()), server)).singleElement().asString()
                .contains("is one of the server's own databases");
        verify(client, never()).getDatabase(anyString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.b", "a b", "a/b", "$cmd", "é",
            "x234567890123456789012345678901234567890123456789012345678901234"})
    void refusesANameThatIsNotOneToSixtyThreeLettersDigitsDashesOrUnderscores(String name) {
        assertThat(refusal(write(archive()), name)).containsExactly("The target database name '" + name
                + "' is not 1 to 63 of A-Z a-z 0-9 _ -");
        verify(client, never()).getDatabase(anyString());
    }

    @Test
    void refusesAnArchiveSealedWithKeysTheServiceDoesNotHoldNamingThem() {
        List<String> conflicts = refusal(write(archive().keyIds("k1", "k9", "k7")), TARGET);
        assertThat(conflicts).singleElement().asString()
                .startsWith("The archive's credentials are sealed with keys this service does not hold (k7, k9)");
        assertNothingWritten();
    }

    @Test
    void refusesAManifestOfAnotherFormat() {
        assertThat(refusal(write(archive().format(2)), TARGET))
                .containsExactly("The archive's manifest has format 2; this version restores format 1");
        assertNothingWritten();
    }

    @Test
    void aDryRunReportsWhatItWouldWriteAndWritesNothing() {
        StepVerifier.create(restorer.restore(write(archive()), TARGET, true, written -> { }))
                .expectNext(new RestoreReport(TARGET, true, List.of(
                        new CollectionReport("users", 20, List.of("_id_", "users_tenant_email_unique",
                                "users_tenant_active_login", "users_lock_ttl"), true),
                        new CollectionReport("scan_results", 300, List.of("_id_"), false)), List.of(), 0))
                .verifyComplete();
        assertNothingWritten();
    }

    @Test
    void aDryRunReportsEveryConflictInsteadOfRefusing() {
        targetHolds("users");
        RestoreReport report = restorer.restore(write(archive().keyIds("k9")), TARGET, true, written -> { })
                .block();

        assertThat(report.conflicts()).hasSize(2);
        assertThat(report.conflicts().get(0)).contains("already holds collections (users)");
        assertThat(report.conflicts().get(1)).contains("keys this service does not hold (k9)");
        assertThat(report.collections()).extracting(CollectionReport::name).containsExactly("users", "scan_results");
        assertNothingWritten();
    }

    @Test
    void documentsAreWrittenInBatchesOfAtMostAThousandAndAtMostEightMebibytes() {
        BackupManifest.Collection small = new BackupManifest.Collection("small", 2500, "s.bson.gz", "s.metadata.json.gz");
        BackupManifest.Collection large = new BackupManifest.Collection("large", 4, "l.bson.gz", "l.metadata.json.gz");
        List<Item> items = new ArrayList<>();
        items.add(new CollectionStart(small, new BsonDocument()));
        for (int i = 0; i < 2500; i++) {
            items.add(new CollectionDocument(small, document(i, 16)));
        }
        items.add(new CollectionEnd(small, 2500));
        items.add(new CollectionStart(large, new BsonDocument()));
        // 3 + 3 MiB fit a batch; a third would not; a document over 8 MiB is a batch of its own.
        for (int mebibytes : new int[] {3, 3, 3, 9}) {
            items.add(new CollectionDocument(large, document(mebibytes, mebibytes * 1024 * 1024)));
        }
        items.add(new CollectionDocument(large, document(0, 1024)));
        items.add(new CollectionEnd(large, 5));

        StepVerifier.create(BackupRestorer.batches(Flux.fromIterable(items)).map(List::size))
                .expectNext(1, 1000, 1000, 500, 1)
                .expectNext(1, 2, 1, 1, 1, 1)
                .verifyComplete();
    }

    static RawBsonDocument document(int id, int payloadBytes) {
        return new RawBsonDocument(new BsonDocument("_id", new BsonInt32(id))
                .append("payload", new BsonBinary(new byte[payloadBytes])), new BsonDocumentCodec());
    }

    static byte[] filled(int value) {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
