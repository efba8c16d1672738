package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.scans.ScanRepository.ChangedScan;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The scan and threat sources on a real replica set: the server's {@code $match} lets through exactly the threats
 * (detections and raising corrections, never a lowering one) of every tenant, each with the tenantId the streams
 * filter subscribers by. Every stream starts after a token taken before the writes, so no test races the opening
 * of a cursor.
 */
@RequiresRealMongo
class ScanChangesIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;
    private ScanRepository repository;
    private ChangeFeed feed;

    @BeforeEach
    void migrate() {
        db = MongoTestDatabase.create();
        template = MigratedTemplate.on(db);
        feed = new ChangeFeed(template);
        repository = new ScanRepository(template, feed);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void theThreatsAreEveryTenantsDetectionsAndRaisesWithTheirTenantInCommitOrderNeverALowering() {
        ChangePosition start = beforeWrites();
        insert(scan("s-clean", "acme", Verdict.CLEAN));
        insert(scan("s-malicious", "acme", Verdict.MALICIOUS));
        insert(scan("s-globex", "globex", Verdict.MALICIOUS));
        insert(scan("s-globex-clean", "globex", Verdict.CLEAN));
        correct("acme", "s-clean", Verdict.CLEAN, Verdict.SUSPICIOUS);
        correct("acme", "s-malicious", Verdict.MALICIOUS, Verdict.CLEAN);
        correct("globex", "s-globex-clean", Verdict.CLEAN, Verdict.MALICIOUS);
        correct("acme", "s-clean", Verdict.SUSPICIOUS, Verdict.MALICIOUS);
        insert(scan("s-last", "acme", Verdict.SUSPICIOUS));

        List<String> threats = repository.threats(start)
                .takeUntil(changed -> changed.scan().id().equals("s-last"))
                .map(ScanChangesIT::describe)
                .collectList().block(WAIT);

        // The markers are CLEAN inserts, which the server drops like any other.
        assertThat(threats).containsExactly("acme/s-malicious detected", "globex/s-globex detected",
                "acme/s-clean CLEAN->SUSPICIOUS", "globex/s-globex-clean CLEAN->MALICIOUS",
                "acme/s-clean SUSPICIOUS->MALICIOUS", "acme/s-last detected");
    }

    @Test
    void theSharedScanCursorSeesEveryTenantsInsertsInCommitOrderAndNoUpdate() {
        ChangePosition start = beforeWrites();
        insert(scan("s-1", "acme", Verdict.CLEAN));
        insert(scan("s-2", "globex", Verdict.MALICIOUS));
        correct("acme", "s-1", Verdict.CLEAN, Verdict.MALICIOUS);
        insert(scan("s-3", "acme", Verdict.SUSPICIOUS));

        List<String> scans = repository.insertedScans(start)
                .takeUntil(changed -> changed.scan().id().equals("s-3"))
                .map(changed -> changed.scan().tenantId() + "/" + changed.scan().id())
                .collectList().block(WAIT);

        assertThat(scans).containsExactly("acme/s-1", "globex/s-2", "acme/s-3");
    }

    /**
     * Where a cursor must start to see every later write: the cluster time after the last majority commit, as the
     * shared cursors start. (A token would not do for the threats: a stream cannot resume after an event its own
     * $match drops, the server answers ChangeStreamFatalError.)
     */
    private ChangePosition beforeWrites() {
        return ChangePosition.at(feed.afterLastMajorityCommit().block(WAIT));
    }

    private static String describe(ChangedScan changed) {
        String scan = changed.scan().tenantId() + "/" + changed.scan().id();
        return changed.correctedTo() == null ? scan + " detected"
                : scan + " " + changed.correctedFrom() + "->" + changed.correctedTo();
    }

    private void insert(ScanResult scan) {
        template.insert(scan).block(WAIT);
    }

    private void correct(String tenant, String scanId, Verdict from, Verdict to) {
        repository.setEffectiveVerdict(tenant, scanId, "key-" + scanId, from, to).block(WAIT);
    }

    private ScanResult scan(String id, String tenant, Verdict verdict) {
        return new ScanResult(id, tenant, "u-1", "e-" + id, "eve@evil.example", verdict, verdict, 0.5, List.of(), "m-1",
                Map.of(), "key-" + id, "a".repeat(64), now, false, now);
    }
}
