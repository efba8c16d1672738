package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.Transactions;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The audit feature, not the transaction runner, knows that losing the race for a chain position is transient. */
class AuditChainRaceTest {

    private static final AuditEntry ENTRY = new AuditEntry("a1", "acme", 7, "USER_CREATED", "u1", "users", "u2",
            AuditOutcome.SUCCESS, "203.0.113.9", "curl", "r1", Map.of(), Instant.parse("2026-12-02T10:00:00Z"),
            "prev", "hash", null, null, null, null);

    @Test
    void aDuplicateChainPositionReachesTheTransactionRunnerAsTransient() {
        Throwable failure = insertFailingWith(translated(AuditFields.SEQUENCE_INDEX));

        assertThat(Transactions.isTransient(failure)).isTrue();
        assertThat(failure).hasRootCauseInstanceOf(MongoWriteException.class);
    }

    @Test
    void otherDuplicatesKeepTheirMeaning() {
        Throwable failure = insertFailingWith(translated("audit_tenant_seq_unique_v2"));

        assertThat(failure).isInstanceOf(DuplicateKeyException.class);
        assertThat(Transactions.isTransient(failure)).isFalse();
    }

    private static Throwable insertFailingWith(Throwable failure) {
        ReactiveMongoTemplate mongo = mock(ReactiveMongoTemplate.class);
        when(mongo.insert(any(AuditEntry.class))).thenReturn(Mono.error(failure));
        Throwable[] seen = new Throwable[1];
        StepVerifier.create(new AuditRepository(mongo, mock(ChangeFeed.class)).insert(ENTRY))
                .expectErrorSatisfies(error -> seen[0] = error)
                .verify();
        return seen[0];
    }

    /** What Spring's exception translation hands on for a duplicate key reported by the server. */
    private static DuplicateKeyException translated(String index) {
        return new DuplicateKeyException("duplicate", new MongoWriteException(new WriteError(11000,
                "E11000 duplicate key error collection: phishnet.audit_logs index: " + index
                        + " dup key: { tenantId: \"acme\", seq: 7 }", new BsonDocument()), new ServerAddress(), Set.of()));
    }
}
