package com.phishnet.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.backup.BackupProperties;
import com.phishnet.store.backup.BackupService;
import com.phishnet.store.backup.BackupStore;
import com.phishnet.store.backup.FileSystemBackupStore;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OffsetClock;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Retention runs on a real replica set, with the service's clock moved past each policy: exactly the expired
 * documents are archived, then deleted; the archive holds them; held data stays; a run that fails between its
 * archive and its deletions is finished by the next one without loss or a second archive; the audit chain verifies
 * after its oldest entries go; a dry run changes nothing; two runs never overlap.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "phishnet.retention.run.scheduled=false")
@AutoConfigureWebTestClient(timeout = "PT60S")
@Import(RetentionRunIT.Fixtures.class)
class RetentionRunIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final Path BACKUPS = Path.of("target/test-data/retention-" + DATABASE);
    private static final OffsetClock CLOCK = new OffsetClock();
    /** When set, the next read of a stored archive after its first (the verification) fails, once. */
    private static final AtomicBoolean FAIL_DELETION_READ = new AtomicBoolean();
    private static final Map<String, Integer> READS = new ConcurrentHashMap<>();
    private static final Caller OPERATOR = new Caller("ops-1", "ops", Set.of(), Set.of("service:operator"), null, "it", "it");

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    RetentionRuns runs;
    @Autowired
    BackupService backups;
    @Autowired
    AuditService audit;

    private String tenant;
    private String admin;
    private String scanner;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
        registry.add("phishnet.backup.directory", BACKUPS::toString);
        registry.add("phishnet.backup.staging", () -> BACKUPS.resolveSibling("staging-" + DATABASE).toString());
        // No pacing worth waiting for in a test; the pace itself is DeletePaceTest's.
        registry.add("phishnet.retention.run.pause", () -> "0ms");
        registry.add("phishnet.retention.run.batch-size", () -> "2");
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @TestConfiguration
    static class Fixtures {
        @Bean
        @Primary
        Clock offsetClock() {
            return CLOCK;
        }

        @Bean
        @Primary
        BackupStore failingOnceStore(BackupProperties properties, Scheduler backupScheduler) {
            BackupStore files = new FileSystemBackupStore(properties.directory(), backupScheduler);
            return new BackupStore() {
                @Override
                public Mono<Stored> put(String name, Path archive) {
                    return files.put(name, archive);
                }

                @Override
                public Mono<Long> size(String name) {
                    return files.size(name);
                }

                @Override
                public Flux<DataBuffer> read(String name, long offset, long length) {
                    int reads = READS.merge(name, 1, Integer::sum);
                    if (reads > 1 && FAIL_DELETION_READ.compareAndSet(true, false)) {
                        return Flux.error(new IllegalStateException("injected: the instance stopped after the archive"));
                    }
                    return files.read(name, offset, length);
                }

                @Override
                public Mono<Void> delete(String name) {
                    return files.delete(name);
                }
            };
        }
    }

    @BeforeEach
    void tenant() {
        CLOCK.reset();
        FAIL_DELETION_READ.set(false);
        tenant = "t" + RealMongo.newDatabaseName().substring(3);
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
        scanner = DevTokens.mint(http, "scanner-1", tenant, List.of(), "scans:write");
    }

    @Test
    void exactlyTheExpiredEmailsAreArchivedThenDeletedAndTheArchiveHoldsThem() {
        String user = user("ann@example.com");
        String old1 = ingest(user, "old-1", Instant.now().minus(Duration.ofDays(100)));
        String old2 = ingest(user, "old-2", Instant.now().minus(Duration.ofDays(95)));
        String fresh = ingest(user, "fresh", Instant.now().minus(Duration.ofDays(10)));

        RetentionRun run = runs.runScheduled().block();

        assertThat(run.state()).isEqualTo(JobState.COMPLETED);
        assertThat(run.phase()).isEqualTo(RetentionRun.Phase.DONE);
        assertThat(emailIds()).containsExactly(fresh);
        assertThat(tally(run, "emails_meta").expired()).isEqualTo(2);
        assertThat(tally(run, "emails_meta").deleted()).isEqualTo(2);
        // Scans are kept a year: none of these has expired.
        assertThat(count("scan_results")).isEqualTo(3);
        var archive = backups.get(run.archiveId()).block();
        assertThat(archive.trigger().name()).isEqualTo("RETENTION");
        assertThat(archive.verification().passed()).isTrue();
        assertThat(backups.archivedDocuments(run.archiveId())
                .filter(document -> document.collection().equals("emails_meta")
                        && tenant.equals(document.document().getString("tenantId").getValue()))
                .map(document -> document.document().get("_id").asString().getValue())
                .collect(Collectors.toSet()).block()).containsExactlyInAnyOrder(old1, old2);

        // A year later the scans go too, and nothing is archived twice.
        CLOCK.jump(Duration.ofDays(366));
        RetentionRun later = runs.runScheduled().block();
        assertThat(count("scan_results")).isZero();
        assertThat(backups.archivedDocuments(later.archiveId())
                .filter(document -> document.collection().equals("emails_meta")
                        && List.of(old1, old2).contains(document.document().get("_id").asString().getValue()))
                .count().block()).isZero();
    }

    @Test
    void heldDataSurvivesAndIsReportedAsSkipped() {
        String held = user("hal@example.com");
        String free = user("fay@example.com");
        String heldEmail = ingest(held, "held-1", Instant.now().minus(Duration.ofDays(100)));
        ingest(free, "free-1", Instant.now().minus(Duration.ofDays(100)));
        http.post().uri("/api/v1/admin/legal-holds").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"userId\":\"" + held + "\",\"reason\":\"case 9\"}")
                .exchange().expectStatus().isCreated();

        RetentionRun run = runs.runScheduled().block();

        assertThat(emailIds()).containsExactly(heldEmail);
        assertThat(tally(run, "emails_meta").skipped()).isEqualTo(1);
        assertThat(tally(run, "emails_meta").deleted()).isEqualTo(1);
    }

    @Test
    void aRunThatStopsBetweenItsArchiveAndItsDeletionsIsFinishedByTheNextWithoutLossOrASecondArchive() {
        String user = user("cy@example.com");
        ingest(user, "c-1", Instant.now().minus(Duration.ofDays(100)));
        ingest(user, "c-2", Instant.now().minus(Duration.ofDays(100)));
        FAIL_DELETION_READ.set(true);

        RetentionRun failed = runs.runScheduled().block();

        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.phase()).as("left for the next run").isEqualTo(RetentionRun.Phase.DELETING);
        assertThat(count("emails_meta")).as("nothing deleted yet").isEqualTo(2);
        assertThat(backups.get(failed.archiveId()).block().verification().passed()).isTrue();

        RetentionRun next = runs.runScheduled().block();

        assertThat(next.state()).isEqualTo(JobState.COMPLETED);
        assertThat(count("emails_meta")).isZero();
        assertThat(next.resumed()).singleElement().satisfies(resumed -> {
            assertThat(resumed.runId()).isEqualTo(failed.id());
            assertThat(resumed.deleted()).isGreaterThanOrEqualTo(2);
        });
        assertThat(runs.get(failed.id()).block().phase()).isEqualTo(RetentionRun.Phase.DONE);
        // The next run found nothing of this tenant left to archive: its documents are in exactly one archive.
        assertThat(next.tallies()).noneMatch(tally -> tenant.equals(tally.tenantId()) && tally.expired() > 0);
    }

    @Test
    void aRunWhoseArchiveIsLostBlocksTheNextUntilAnOperatorAbandonsItAndItsArchiveIsHeldUntilThen() throws Exception {
        String user = user("ida@example.com");
        ingest(user, "i-1", Instant.now().minus(Duration.ofDays(100)));
        FAIL_DELETION_READ.set(true);
        RetentionRun stuck = runs.runScheduled().block();
        assertThat(stuck.phase()).isEqualTo(RetentionRun.Phase.DELETING);
        String operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");

        // Held: the next run still needs it.
        http.delete().uri("/api/v1/admin/backups/{id}", stuck.archiveId()).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isEqualTo(409);
        java.nio.file.Files.delete(BACKUPS.resolve(stuck.archiveId() + ".tar"));
        RetentionRun blocked = runs.runScheduled().block();
        assertThat(blocked.state()).isEqualTo(JobState.FAILED);
        assertThat(count("emails_meta")).as("nothing deleted without the archive").isEqualTo(1);

        http.post().uri("/api/v1/admin/retention/runs/{id}/abandon", stuck.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"the archive file was lost\"}")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.phase").isEqualTo("DONE").jsonPath("$.state").isEqualTo("FAILED");
        http.post().uri("/api/v1/admin/retention/runs/{id}/abandon", stuck.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"again\"}")
                .exchange().expectStatus().isEqualTo(409);

        RetentionRun next = runs.runScheduled().block();
        assertThat(next.state()).isEqualTo(JobState.COMPLETED);
        assertThat(count("emails_meta")).isZero();
        assertThat(runs.get(blocked.id()).block().phase()).isEqualTo(RetentionRun.Phase.DONE);
        // No longer held: its record may go now.
        http.delete().uri("/api/v1/admin/backups/{id}", stuck.archiveId()).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().is2xxSuccessful();
    }

    @Test
    void theAuditChainVerifiesAfterItsOldestEntriesAreRemovedAndKeepsItsNewest() {
        user("dee@example.com");
        user("eli@example.com");
        long entries = count("audit_logs");
        assertThat(entries).isGreaterThanOrEqualTo(2);

        CLOCK.jump(Duration.ofDays(1096));
        RetentionRun run = runs.runScheduled().block();

        assertThat(run.state()).isEqualTo(JobState.COMPLETED);
        assertThat(count("audit_logs")).as("the head stays").isEqualTo(1);
        assertThat(tally(run, "audit_logs").deleted()).isEqualTo(entries - 1);
        var verification = audit.verify(tenant).block();
        assertThat(verification.valid()).as(String.valueOf(verification.reason())).isTrue();
        assertThat(audit.checkpoint(tenant).block().seq()).isEqualTo(entries - 1);
        // New entries keep linking to the head (a token minted at the service's new "now").
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
        user("fin@example.com");
        assertThat(audit.verify(tenant).block().valid()).isTrue();
    }

    @Test
    void aDryRunReportsWhatWouldGoAndChangesNoData() {
        String user = user("gus@example.com");
        ingest(user, "g-1", Instant.now().minus(Duration.ofDays(100)));
        long emails = count("emails_meta");
        long runsBefore = Mono.from(client.getDatabase(DATABASE).getCollection(RetentionFields.RUNS).countDocuments()).block();
        long archivesBefore = Mono.from(client.getDatabase(DATABASE).getCollection("backups").countDocuments()).block();

        var report = runs.dryRun(OPERATOR).block();

        assertThat(report.tallies()).anySatisfy(tally -> {
            assertThat(tally.collection()).isEqualTo("emails_meta");
            assertThat(tally.tenantId()).isEqualTo(tenant);
            assertThat(tally.expired()).isEqualTo(1);
        });
        assertThat(count("emails_meta")).isEqualTo(emails);
        assertThat(Mono.from(client.getDatabase(DATABASE).getCollection(RetentionFields.RUNS).countDocuments()).block())
                .isEqualTo(runsBefore);
        assertThat(Mono.from(client.getDatabase(DATABASE).getCollection("backups").countDocuments()).block())
                .isEqualTo(archivesBefore);
        assertThat(Mono.from(client.getDatabase(DATABASE).getCollection("jobs")
                .countDocuments(new Document("type", "RETENTION").append("state", "RUNNING"))).block()).isZero();
    }

    @Test
    void twoRunsNeverOverlap() {
        var first = runs.start(OPERATOR, RetentionRun.Trigger.MANUAL).block();
        try {
            assertThatThrownBy(() -> runs.start(RetentionRuns.SCHEDULE, RetentionRun.Trigger.SCHEDULED).block())
                    .isInstanceOf(ApiException.Conflict.class);
            http.post().uri("/api/v1/admin/retention/runs")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator"))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                    .exchange().expectStatus().isEqualTo(409)
                    .expectHeader().location("/api/v1/admin/retention/runs/" + first.id());
        }
        finally {
            runs.run(first, OPERATOR).block();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private String user(String email) {
        Map<?, ?> created = http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", email, "role", "USER"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return ((Map<?, ?>) created.get("user")).get("id").toString();
    }

    /** Ingests one scan of an email received (and scanned) at {@code at}; answers the email's id. */
    private String ingest(String userId, String messageId, Instant at) {
        String body = """
                {"userId":"%s",
                 "email":{"messageId":"<%s@example.com>","sender":"eve@evil.example","recipients":["ann@example.com"],
                          "subject":"Invoice","receivedAt":"%s","sizeBytes":1024},
                 "result":{"verdict":"CLEAN","score":0.1,"indicators":[],"modelVersion":"m-1","scannedAt":"%s"}}"""
                .formatted(userId, messageId, at, at.plusSeconds(1));
        Map<?, ?> scan = http.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + scanner)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().is2xxSuccessful().expectBody(Map.class).returnResult().getResponseBody();
        return ((Map<?, ?>) scan.get("email")).get("id").toString();
    }

    private List<String> emailIds() {
        return Flux.from(client.getDatabase(DATABASE).getCollection("emails_meta").find(new Document("tenantId", tenant)))
                .map(document -> document.get("_id").toString()).collectList().block();
    }

    private long count(String collection) {
        return Mono.from(client.getDatabase(DATABASE).getCollection(collection)
                .countDocuments(new Document("tenantId", tenant))).block();
    }

    private RetentionRun.Tally tally(RetentionRun run, String collection) {
        return run.tallies().stream().filter(tally -> tally.collection().equals(collection) && tenant.equals(tally.tenantId()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + collection + " tally for " + tenant + " in "
                        + run.tallies()));
    }
}
