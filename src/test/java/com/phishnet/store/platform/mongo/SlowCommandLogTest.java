package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ConnectionDescription;
import com.mongodb.connection.ServerId;
import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The slow-command log: what crosses the threshold is logged once and counted, with the command's shape and none
 * of its values; what stays under it leaves no trace; the memory of started commands stays bounded.
 */
class SlowCommandLogTest {

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl";
    private static final String ADDRESS = "victim@corp.example";
    private static final String SUBJECT = "Your invoice 4711 is overdue";
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String ID = "6566f1c2a1b2c3d4e5f60718";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Logger logger = (Logger) LoggerFactory.getLogger(SlowCommandLog.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final SlowCommandLog slowLog = new SlowCommandLog(new SlowCommandProperties(Duration.ofMillis(200), 16),
            meters);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
        logger.setLevel(null);
    }

    @Test
    void aSlowCommandCarryingATokenAnAddressASubjectAHashAndAnIdLogsNoneOfThem() {
        BsonDocument command = BsonDocument.parse("""
                {find: "emails_meta", filter: {tenantId: "acme", sender: "%s", subject: {$regex: "%s"},
                  "hashes.sha256": "%s", _id: {$in: [{$oid: "%s"}]}, token: "Bearer %s"},
                 sort: {receivedAt: -1}, limit: 50,
                 lsid: {id: {$binary: {base64: "AAAAAAAAAAAAAAAAAAAAAA==", subType: "04"}}},
                 $clusterTime: {clusterTime: {$timestamp: {t: 1, i: 1}}, signature: {hash: {$binary: {base64: "AAAA", subType: "00"}}, keyId: 7}},
                 txnNumber: 4, $db: "phishnet"}
                """.formatted(ADDRESS, SUBJECT, HASH, ID, TOKEN));

        run(1, "find", command, 250);

        assertThat(logs.list).hasSize(1);
        String line = logs.list.get(0).getFormattedMessage();
        assertThat(line).startsWith(SlowCommandLog.MARKER)
                .contains("command=find", "database=phishnet", "collection=emails_meta", "durationMs=250",
                        "thresholdMs=200", "status=SUCCESS")
                .contains("filter: {tenantId: ?, sender: ?, subject: {$regex: ?}, hashes.sha256: ?, _id: {$in: [?]}, token: ?}")
                .contains("sort: {receivedAt: -1}")
                .doesNotContain(TOKEN, "Bearer", ADDRESS, "corp.example", SUBJECT, "invoice", HASH, ID, "acme",
                        "lsid", "clusterTime", "signature", "txnNumber", "$db", "AAAA");
        assertThat(logs.list.get(0).getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void aCommandFasterThanTheThresholdIsNeitherLoggedNorCounted() {
        run(1, "find", BsonDocument.parse("{find: 'scan_results', filter: {tenantId: 'acme'}}"), 199);

        assertThat(logs.list).isEmpty();
        assertThat(meters.find(SlowCommandLog.METER).counters()).isEmpty();
    }

    @Test
    void aCommandAtTheThresholdIsLogged() {
        run(1, "find", BsonDocument.parse("{find: 'scan_results', filter: {tenantId: 'acme'}}"), 200);

        assertThat(logs.list).hasSize(1);
    }

    @Test
    void eachSlowCommandCountsOnceByCommandCollectionAndStatus() {
        run(1, "find", BsonDocument.parse("{find: 'scan_results', filter: {tenantId: 'acme'}}"), 300);
        run(2, "find", BsonDocument.parse("{find: 'scan_results', filter: {tenantId: 'globex'}}"), 900);
        run(3, "find", BsonDocument.parse("{find: 'scan_results', filter: {tenantId: 'acme'}}"), 10);
        run(4, "update", BsonDocument.parse("{update: 'users', updates: [{q: {_id: 'u-1'}, u: {$inc: {'stats.total': 1}}}]}"), 400);

        assertThat(meters.get(SlowCommandLog.METER).tags("command", "find", "collection", "scan_results", "status", "SUCCESS")
                .counter().count()).isEqualTo(2);
        assertThat(meters.get(SlowCommandLog.METER).tags("command", "update", "collection", "users").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aSlowFailedCommandIsLoggedWithItsErrorCodeButNotTheServersMessage() {
        BsonDocument command = BsonDocument.parse("{insert: 'users', documents: [{_id: 'u-1', email: '" + ADDRESS + "'}]}");
        MongoCommandException duplicate = new MongoCommandException(BsonDocument.parse(
                "{ok: 0, code: 11000, codeName: 'DuplicateKey', errmsg: 'E11000 duplicate key error dup key: { email: \\\""
                        + ADDRESS + "\\\" }'}"), new ServerAddress());

        slowLog.commandStarted(started(5, "insert", command));
        slowLog.commandFailed(new CommandFailedEvent(null, 1, 5, connection(), "phishnet", "insert",
                TimeUnit.MILLISECONDS.toNanos(700), duplicate));

        String line = logs.list.get(0).getFormattedMessage();
        assertThat(line).contains("status=FAILED", "error=MongoCommandException(11000/DuplicateKey)", "shape={documents: 1}")
                .doesNotContain(ADDRESS, "E11000", "u-1");
        assertThat(meters.get(SlowCommandLog.METER).tags("status", "FAILED").counter().count()).isEqualTo(1);
    }

    @Test
    void aCommandWhoseStartWasNotSeenIsStillLoggedWithoutAShape() {
        slowLog.commandSucceeded(new CommandSucceededEvent(null, 1, 9, connection(), "phishnet", "find",
                new BsonDocument(), TimeUnit.SECONDS.toNanos(1)));

        assertThat(logs.list.get(0).getFormattedMessage()).contains("collection=unknown", "shape=unknown");
    }

    @Test
    void aChangeStreamGetMoreIsAllowedTheWaitItAskedFor() {
        BsonDocument awaiting = BsonDocument.parse("{getMore: {$numberLong: '7'}, collection: 'scan_results', maxTimeMS: 1000}");

        run(1, "getMore", awaiting, 1100);
        assertThat(logs.list).isEmpty();

        run(2, "getMore", awaiting, 1250);
        assertThat(logs.list).hasSize(1);
        assertThat(logs.list.get(0).getFormattedMessage()).contains("collection=scan_results", "shape={}");
    }

    @Test
    void startedCommandsWhoseEndNeverArrivesAreForgottenPastTheCap() {
        for (int request = 1; request <= 1000; request++) {
            slowLog.commandStarted(started(request, "find", BsonDocument.parse("{find: 'users', filter: {_id: 'x'}}")));
        }

        assertThat(slowLog.inFlight()).isEqualTo(16);
    }

    @Test
    void anEndedCommandIsForgotten() {
        run(1, "find", BsonDocument.parse("{find: 'users', filter: {_id: 'x'}}"), 5);
        run(2, "find", BsonDocument.parse("{find: 'users', filter: {_id: 'x'}}"), 500);

        assertThat(slowLog.inFlight()).isZero();
    }

    @Test
    void describesAFailureByItsKindOnly() {
        assertThat(SlowCommandLog.describe(new IllegalStateException("token " + TOKEN))).isEqualTo("IllegalStateException");
    }

    private void run(int requestId, String name, BsonDocument command, long millis) {
        slowLog.commandStarted(started(requestId, name, command));
        slowLog.commandSucceeded(new CommandSucceededEvent(null, 1, requestId, connection(), "phishnet", name,
                BsonDocument.parse("{ok: 1}"), TimeUnit.MILLISECONDS.toNanos(millis)));
    }

    private static CommandStartedEvent started(int requestId, String name, BsonDocument command) {
        return new CommandStartedEvent(null, 1, requestId, connection(), "phishnet", name, command);
    }

    private static ConnectionDescription connection() {
        return new ConnectionDescription(new ServerId(new ClusterId("c1"), new ServerAddress("db-1.internal.example")));
    }
}
