package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doReturn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.mongodb.MongoSocketException;
import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.PhishNetStoreApplication;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.streams.SseConnection.Received;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The event streams end to end on a real replica set: clients hold real SSE connections to the running service and
 * the changes come from MongoDB change streams. Each test opens its streams before it writes, and every wait is
 * bounded ({@link SseConnection#WAIT}).
 *
 * <p>A shared cursor opens with its stream's first subscriber, and nothing tells a client when the server has
 * accepted the {@code aggregate}: a change committed in between is not for it. So before a test relies on "every
 * change from now", marker scans of a tenant of their own are written until the scans, threats and audit cursors
 * of the instance have each delivered one ({@link #sharedCursorsOpen}); from then on they stay open.
 */
@RequiresRealMongo
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class StreamsIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final String SCANS = "/api/v1/streams/scans";
    private static final String THREATS = "/api/v1/streams/threats";
    private static final String AUDIT = "/api/v1/streams/audit";
    /** Instances (by port) whose shared cursors are known to be open. */
    private static final Set<Integer> warmedUp = ConcurrentHashMap.newKeySet();

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;
    @Autowired
    JsonMapper json;
    @Autowired
    JobService jobs;
    @MockitoSpyBean
    AuditService audit;
    @LocalServerPort
    int port;

    private String tenant;
    private String admin;
    private String scanner;
    private String userId;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    @BeforeEach
    void tenantWithAUser() {
        sharedCursorsOpen(http, port);
        tenant = newTenant();
        admin = DevTokens.mint(http, "admin-1", tenant, List.of("ADMIN"));
        scanner = DevTokens.mint(http, "scanner-1", tenant, List.of(), Scope.SCANS_WRITE.value());
        userId = createUser(http, admin, "ann@example.com");
    }

    @Test
    void aCommittedScanIsOnTheStreamWithinASecondAsTheJsonOfItsRestView() {
        try (SseConnection scans = open(SCANS, admin)) {
            Ingested scan = ingest(http, scanner, userId, "fast", "SUSPICIOUS");

            Received event = scans.next();
            assertThat(event.name()).isEqualTo("scan");
            // From the answer to the POST (the commit was before it) to the event's arrival; an event that came
            // first counts as no lag at all.
            assertThat(Duration.ofNanos(event.arrivedNanos() - scan.respondedNanos())).isLessThan(Duration.ofSeconds(1));
            assertThat(ResumeToken.parse(event.id()).clusterTime()).isNotNull();
            assertThat(json.readTree(event.data())).isEqualTo(json.readTree(get(admin, "/api/v1/scans/" + scan.id())));
        }
    }

    @Test
    void anAbortedIngestionNeverAppearsAndTheNextScanOnTheStreamIsTheGoodOne() {
        // The email and the scan are written, then the audit write fails: the transaction aborts.
        doReturn(Mono.error(new IllegalStateException("injected between the scan write and its audit")))
                .doCallRealMethod()
                .when(audit).record(argThat(event -> event != null && event.type() == AuditEventType.SCAN_INGESTED));
        try (SseConnection scans = open(SCANS, admin)) {
            ingestRequest(http, scanner, userId, "aborted", "MALICIOUS").expectStatus().is5xxServerError();
            Ingested good = ingest(http, scanner, userId, "good", "MALICIOUS");

            assertThat(scanId(scans.next())).isEqualTo(good.id());
        }
    }

    @Test
    void aClientReconnectingWithLastEventIdGetsExactlyTheHundredItMissedInOrderThenLiveOnes() {
        reconnectingGetsWhatWasMissedThenLive(lastEventId -> SseConnection.open(base(), SCANS, admin,
                Map.of(StreamController.LAST_EVENT_ID, lastEventId)));
    }

    @Test
    void theLastEventIdQueryParameterResumesLikeTheHeader() {
        reconnectingGetsWhatWasMissedThenLive(lastEventId -> open(SCANS + "?lastEventId=" + lastEventId, admin));
    }

    @Test
    void anotherTenantsStreamNeverCarriesATenantsScans() {
        String otherTenant = newTenant();
        String otherAdmin = DevTokens.mint(http, "admin-1", otherTenant, List.of("ADMIN"));
        String otherScanner = DevTokens.mint(http, "scanner-1", otherTenant, List.of(), Scope.SCANS_WRITE.value());
        String otherUser = createUser(http, otherAdmin, "bob@example.com");
        try (SseConnection ours = open(SCANS, admin); SseConnection theirs = open(SCANS, otherAdmin)) {
            Ingested first = ingest(http, scanner, userId, "ours-1", "MALICIOUS");
            Ingested theirFirst = ingest(http, otherScanner, otherUser, "theirs-1", "CLEAN");
            Ingested second = ingest(http, scanner, userId, "ours-2", "CLEAN");
            Ingested theirLast = ingest(http, otherScanner, otherUser, "theirs-2", "CLEAN");

            // Commit order interleaves the tenants: a leaked scan would come before the other tenant's last one.
            assertThat(scanIds(theirs.until(event -> theirLast.id().equals(scanId(event)))))
                    .containsExactly(theirFirst.id(), theirLast.id());
            assertThat(scanIds(ours.until(event -> second.id().equals(scanId(event)))))
                    .containsExactly(first.id(), second.id());
        }
    }

    @Test
    void aUserFollowsOnlyItsOwnScans() {
        String colleague = createUser(http, admin, "cat@example.com");
        String ownToken = DevTokens.mint(http, userId, tenant, List.of("USER"));
        try (SseConnection own = open(SCANS, ownToken)) {
            ingest(http, scanner, colleague, "colleague", "MALICIOUS");
            Ingested mine = ingest(http, scanner, userId, "mine", "CLEAN");

            assertThat(scanIds(own.until(event -> mine.id().equals(scanId(event))))).containsExactly(mine.id());
        }
    }

    @Test
    void detectionsAndRaisingFeedbackAreThreatsAndALoweringOneIsNot() {
        String analyst = DevTokens.mint(http, "analyst-1", tenant, List.of("ANALYST"));
        try (SseConnection threats = open(THREATS, admin)) {
            Ingested clean = ingest(http, scanner, userId, "clean", "CLEAN");
            Ingested malicious = ingest(http, scanner, userId, "malicious", "MALICIOUS");
            feedback(analyst, malicious.id(), "CLEAN");
            feedback(analyst, clean.id(), "MALICIOUS");
            Ingested last = ingest(http, scanner, userId, "last", "SUSPICIOUS");

            List<String> seen = threats.until(event -> last.id().equals(threatScanId(event))).stream()
                    .map(this::describeThreat).toList();

            assertThat(seen).containsExactly(
                    "threat DETECTED ->MALICIOUS " + malicious.id(),
                    "threat RAISED_BY_FEEDBACK CLEAN->MALICIOUS " + clean.id(),
                    "threat DETECTED ->SUSPICIOUS " + last.id());
        }
    }

    @Test
    void anAdminsAuditStreamCarriesItsOwnTenantsEntriesAndOnlyTheTypeAskedFor() {
        String otherTenant = newTenant();
        String otherAdmin = DevTokens.mint(http, "admin-1", otherTenant, List.of("ADMIN"));
        String otherScanner = DevTokens.mint(http, "scanner-1", otherTenant, List.of(), Scope.SCANS_WRITE.value());
        String otherUser = createUser(http, otherAdmin, "dan@example.com");
        try (SseConnection all = open(AUDIT, admin);
                SseConnection ingestions = open(AUDIT + "?eventType=SCAN_INGESTED", admin)) {
            ingest(http, otherScanner, otherUser, "theirs", "MALICIOUS");
            // A malicious scan is audited twice (SCAN_INGESTED, THREAT_DETECTED) in one transaction.
            Ingested malicious = ingest(http, scanner, userId, "malicious", "MALICIOUS");
            Ingested clean = ingest(http, scanner, userId, "clean", "CLEAN");

            assertThat(all.until(event -> isIngestionOf(event, clean)).stream().map(this::describeAudit)).containsExactly(
                    tenant + " SCAN_INGESTED " + malicious.id(),
                    tenant + " THREAT_DETECTED " + malicious.id(),
                    tenant + " SCAN_INGESTED " + clean.id());
            assertThat(ingestions.until(event -> isIngestionOf(event, clean)).stream().map(this::describeAudit))
                    .containsExactly(tenant + " SCAN_INGESTED " + malicious.id(), tenant + " SCAN_INGESTED " + clean.id());
        }
    }

    @Test
    void aJobStreamStartsWithTheJobsStateThenFollowsItAndEndsAfterItsFinalState() {
        Caller operatorCaller = new Caller("ops-1", "ops", EnumSet.noneOf(Role.class),
                Set.of(Scope.SERVICE_OPERATOR.value()), "127.0.0.1", "it", "r-1");
        String operator = DevTokens.mint(http, "ops-1", "ops", List.of(), Scope.SERVICE_OPERATOR.value());
        // Recorded RUNNING and not run, so the test moves it on.
        JobView job = jobs.start(JobType.KEY_ROTATION, operatorCaller).block(SseConnection.WAIT);
        String path = "/api/v1/streams/jobs/" + job.id();
        try (SseConnection progress = open(path, operator)) {
            JsonNode first = json.readTree(progress.next().data());
            assertThat(first.get("state").asString() + " " + first.get("processed").asLong()).isEqualTo("RUNNING 0");

            // The jobs cursor may still be opening: batches are recorded until the stream has carried one.
            int batches = 0;
            Received progressed = null;
            while (progressed == null) {
                assertThat(batches).as("batches recorded without a progress event").isLessThan(40);
                jobs.progress(job.id(), 1, 0, "cursor-" + ++batches).block(SseConnection.WAIT);
                progressed = progress.poll(Duration.ofMillis(250));
            }
            jobs.complete(job.id()).block(SseConnection.WAIT);

            List<Received> rest = progress.until(event -> !"RUNNING".equals(state(event)));
            JsonNode last = json.readTree(rest.get(rest.size() - 1).data());
            assertThat(last.get("state").asString() + " " + last.get("processed").asLong())
                    .isEqualTo("COMPLETED " + batches);
            progress.awaitEnd();
        }
        try (SseConnection finished = open(path, operator)) {
            assertThat(state(finished.next())).isEqualTo("COMPLETED");
            finished.awaitEnd();
        }
    }

    /**
     * A token older than the oplog: the server answers ChangeStreamHistoryLost (286) for a resume point before
     * its first entry (its check of resumability compares the token's cluster time with the oldest entry), and
     * the service turns that into a {@code reset} from the token's time. A token whose history really rolled off
     * cannot be produced on demand on a big oplog, so one is made: a token the server wrote, its cluster time
     * moved an hour before the oplog's first entry. The rest of it (version, type, collection, document key) is
     * kept as written, so the only thing wrong with it is its age.
     */
    @Test
    void aTokenWhoseHistoryIsGoneGetsAResetFromItsTimeThenLiveEventsNeverASilentGap() {
        String written;
        try (SseConnection scans = open(SCANS, admin)) {
            ingest(http, scanner, userId, "seen", "CLEAN");
            written = scans.next().id();
        }
        long beforeTheOplog = oldestOplogEntry().getTime() - 3600;
        String lost = "82" + "%08X%08X".formatted(beforeTheOplog, 1) + written.substring(18);

        try (SseConnection resumed = SseConnection.open(base(), SCANS, admin, Map.of(StreamController.LAST_EVENT_ID, lost))) {
            Received reset = resumed.next();
            assertThat(reset.name()).isEqualTo("reset");
            assertThat(Instant.parse(json.readTree(reset.data()).get("from").asString()))
                    .isEqualTo(Instant.ofEpochSecond(beforeTheOplog));

            Ingested live = ingest(http, scanner, userId, "live", "CLEAN");
            assertThat(scanId(resumed.next())).isEqualTo(live.id());
        }
    }

    @Test
    void twoInstancesOnOneDatabaseBothDeliverAScanIngestedThroughEither() {
        try (ConfigurableApplicationContext second = secondInstance()) {
            int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
            WebTestClient secondHttp = WebTestClient.bindToServer().baseUrl("http://localhost:" + secondPort)
                    .responseTimeout(Duration.ofSeconds(30)).build();
            sharedCursorsOpen(secondHttp, secondPort);
            try (SseConnection onFirst = open(SCANS, admin);
                    SseConnection onSecond = SseConnection.open("http://localhost:" + secondPort, SCANS, admin)) {
                Ingested throughFirst = ingest(http, scanner, userId, "through-first", "CLEAN");
                Ingested throughSecond = ingest(secondHttp, scanner, userId, "through-second", "CLEAN");

                assertThat(scanIds(List.of(onFirst.next(), onFirst.next())))
                        .containsExactly(throughFirst.id(), throughSecond.id());
                assertThat(scanIds(List.of(onSecond.next(), onSecond.next())))
                        .containsExactly(throughFirst.id(), throughSecond.id());
            }
        }
    }

    @Test
    void aSteppedDownPrimaryDoesNotEndTheStream() {
        Assumptions.assumeTrue(electableMembers() > 1, "replSetStepDown needs another electable member; this replica"
                + " set has one, so there is no election to survive (run against a set of three to test it)");
        try (SseConnection scans = open(SCANS, admin)) {
            Ingested before = ingest(http, scanner, userId, "before", "CLEAN");
            assertThat(scanId(scans.next())).isEqualTo(before.id());

            stepDownPrimary();
            // Writes are refused until a new primary is elected; the same key makes a retry after an unknown
            // outcome harmless.
            String after = Mono.fromCallable(() -> ingestRequest(http, scanner, userId, "after", "CLEAN")
                            .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id").toString())
                    .retryWhen(Retry.fixedDelay(60, Duration.ofSeconds(1)))
                    .block(Duration.ofSeconds(90));

            // The same connection: the shared cursor resumed from its last token after the election.
            assertThat(scanId(scans.next(Duration.ofSeconds(60)))).isEqualTo(after);
        }
    }

    private void reconnectingGetsWhatWasMissedThenLive(Function<String, SseConnection> reconnectAfter) {
        String lastSeen;
        try (SseConnection first = open(SCANS, admin)) {
            Ingested seen = ingest(http, scanner, userId, "seen", "CLEAN");
            Received event = first.next();
            assertThat(scanId(event)).isEqualTo(seen.id());
            lastSeen = event.id();
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            missed.add(ingest(http, scanner, userId, "missed-" + i, i % 10 == 0 ? "MALICIOUS" : "CLEAN").id());
        }

        try (SseConnection again = reconnectAfter.apply(lastSeen)) {
            List<String> caughtUp = new ArrayList<>();
            for (int i = 0; i < missed.size(); i++) {
                caughtUp.add(scanId(again.next()));
            }
            assertThat(caughtUp).containsExactlyElementsOf(missed);

            // The first live scan is read by the catch-up and the shared cursor alike (the hand-over); the second
            // only by the shared one. Each arrives once, right after what came before it.
            Ingested live = ingest(http, scanner, userId, "live-1", "CLEAN");
            assertThat(scanId(again.next())).isEqualTo(live.id());
            Ingested later = ingest(http, scanner, userId, "live-2", "CLEAN");
            assertThat(scanId(again.next())).isEqualTo(later.id());
        }
    }

    /**
     * Waits until this instance's scans, threats and audit cursors are open, by writing malicious marker scans in
     * a tenant of their own until each of the three streams has carried one. Once per instance: they stay open.
     */
    private void sharedCursorsOpen(WebTestClient api, int instancePort) {
        if (warmedUp.contains(instancePort)) {
            return;
        }
        String markers = newTenant();
        String markerAdmin = DevTokens.mint(http, "admin-m", markers, List.of("ADMIN"));
        String markerScanner = DevTokens.mint(http, "scanner-m", markers, List.of(), Scope.SCANS_WRITE.value());
        String markerUser = createUser(api, markerAdmin, "markers@example.com");
        String instance = "http://localhost:" + instancePort;
        List<SseConnection> streams = List.of(SseConnection.open(instance, SCANS, markerAdmin),
                SseConnection.open(instance, THREATS, markerAdmin), SseConnection.open(instance, AUDIT, markerAdmin));
        try {
            List<SseConnection> waiting = new ArrayList<>(streams);
            for (int marker = 0; !waiting.isEmpty(); marker++) {
                assertThat(marker).as("markers written before every shared cursor carried one").isLessThan(40);
                ingest(api, markerScanner, markerUser, "marker-" + marker, "MALICIOUS");
                waiting.removeIf(stream -> stream.poll(Duration.ofMillis(250)) != null);
            }
            warmedUp.add(instancePort);
        }
        finally {
            streams.forEach(SseConnection::close);
        }
    }

    /** The service once more, in this JVM, on the same database and another port. */
    private static ConfigurableApplicationContext secondInstance() {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0"));
        // Command-line arguments, so they win over application.yaml as the test's dynamic properties do.
        AppOnRealMongo.register((name, value) -> arguments.add("--" + name + "=" + value.get()), DATABASE);
        return new SpringApplicationBuilder(PhishNetStoreApplication.class).profiles("local")
                .run(arguments.toArray(String[]::new));
    }

    private BsonTimestamp oldestOplogEntry() {
        Document first = Mono.from(client.getDatabase("local").getCollection("oplog.rs").find()
                .sort(new Document("$natural", 1)).first()).block(SseConnection.WAIT);
        return (BsonTimestamp) first.get("ts");
    }

    /** Members that could become primary: voting, with a priority, neither arbiter nor hidden. */
    private long electableMembers() {
        Document reply = Mono.from(client.getDatabase("admin").runCommand(new Document("replSetGetConfig", 1)))
                .block(SseConnection.WAIT);
        return reply.get("config", Document.class).getList("members", Document.class).stream()
                .filter(member -> number(member, "priority") > 0 && number(member, "votes") > 0)
                .filter(member -> !member.getBoolean("arbiterOnly", false) && !member.getBoolean("hidden", false))
                .count();
    }

    /** A member's numeric setting, whichever BSON number type holds it; 1 (the server's default) when absent. */
    private static double number(Document member, String setting) {
        Object value = member.get(setting);
        return value == null ? 1 : ((Number) value).doubleValue();
    }

    private void stepDownPrimary() {
        Mono.from(client.getDatabase("admin").runCommand(new Document("replSetStepDown", 10)
                        .append("secondaryCatchUpPeriodSecs", 5)))
                // A server before 4.2 drops every connection when it steps down, this one's included.
                .onErrorResume(MongoSocketException.class, dropped -> Mono.just(new Document()))
                .block(Duration.ofSeconds(30));
    }

    private SseConnection open(String path, String bearer) {
        return SseConnection.open(base(), path, bearer);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static String newTenant() {
        return "t" + RealMongo.newDatabaseName().substring(3);
    }

    /** A scan as committed: its id and when the answer to the POST arrived ({@link System#nanoTime()}). */
    private record Ingested(String id, long respondedNanos) {
    }

    private Ingested ingest(WebTestClient api, String token, String owner, String label, String verdict) {
        Map<?, ?> body = ingestRequest(api, token, owner, label, verdict).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return new Ingested(body.get("id").toString(), System.nanoTime());
    }

    private WebTestClient.ResponseSpec ingestRequest(WebTestClient api, String token, String owner, String label,
            String verdict) {
        return api.post().uri("/api/v1/scans").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("Idempotency-Key", label + "-" + owner).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(scan(owner, "<" + label + "@x.example>", verdict)).exchange();
    }

    private static Map<String, Object> scan(String owner, String messageId, String verdict) {
        Instant received = Instant.now().minusSeconds(60);
        return Map.of("userId", owner,
                "email", Map.of("messageId", messageId, "sender", "a@x.example", "recipients", List.of("b@y.example"),
                        "subject", "Your invoice", "receivedAt", received.toString(), "sizeBytes", 1234),
                "result", Map.of("verdict", verdict, "score", "CLEAN".equals(verdict) ? 0.1 : 0.97,
                        "indicators", List.of(Map.of("type", "url", "value", "http://x.example/login", "weight", 0.8)),
                        "modelVersion", "m-2026.11", "timings", Map.of("totalMs", 42),
                        "scannedAt", received.plusSeconds(1).toString()));
    }

    private String createUser(WebTestClient api, String adminToken, String email) {
        Map<?, ?> body = api.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", email, "role", "USER"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return ((Map<?, ?>) body.get("user")).get("id").toString();
    }

    private void feedback(String token, String scanId, String verdict) {
        http.post().uri("/api/v1/scans/{id}/feedback", scanId).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("verdict", verdict)).exchange()
                .expectStatus().isOk();
    }

    private String get(String token, String path) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private String scanId(Received event) {
        assertThat(event.name()).as("event " + event.data()).isEqualTo("scan");
        return json.readTree(event.data()).get("id").asString();
    }

    private List<String> scanIds(List<Received> events) {
        return events.stream().map(this::scanId).toList();
    }

    private String threatScanId(Received event) {
        return json.readTree(event.data()).path("scan").path("id").asString();
    }

    private String describeThreat(Received event) {
        JsonNode threat = json.readTree(event.data());
        return event.name() + " " + threat.get("cause").asString() + " "
                + (threat.hasNonNull("from") ? threat.get("from").asString() : "") + "->"
                + threat.get("verdict").asString() + " " + threat.path("scan").path("id").asString();
    }

    private boolean isIngestionOf(Received event, Ingested scan) {
        JsonNode entry = json.readTree(event.data());
        return "SCAN_INGESTED".equals(entry.path("eventType").asString()) && scan.id().equals(entry.path("targetId").asString());
    }

    private String describeAudit(Received event) {
        assertThat(event.name()).isEqualTo("audit");
        JsonNode entry = json.readTree(event.data());
        return entry.get("tenantId").asString() + " " + entry.get("eventType").asString() + " "
                + entry.get("targetId").asString();
    }

    private String state(Received event) {
        assertThat(event.name()).isEqualTo("job");
        return json.readTree(event.data()).get("state").asString();
    }
}
