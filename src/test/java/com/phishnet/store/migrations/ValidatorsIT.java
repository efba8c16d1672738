package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Date;

import com.mongodb.MongoWriteException;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The server enforces the validators the migrations install. */
@RequiresRealMongo
class ValidatorsIT {

    private static final int DOCUMENT_VALIDATION_FAILURE = 121;

    private MongoTestDatabase db;

    @BeforeEach
    void migrate() {
        db = MongoTestDatabase.create();
        MigrationRunner.migrate(db.client(), db.name(), Clock.systemUTC());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void acceptsAWellFormedUser() {
        insert("users", validUser());

        assertThat(Mono.from(db.database().getCollection("users").countDocuments()).block()).isEqualTo(1);
    }

    @Test
    void rejectsAUserWithAnUnknownRole() {
        assertRejected("users", validUser().append("role", "ROOT"));
    }

    @Test
    void acceptsAUserWithAnIdempotencyKeyButRejectsAKeyTheApiWouldRefuse() {
        insert("users", validUser().append("idempotencyKey", "create-ann-1").append("requestHash", "h".repeat(43)));

        assertRejected("users", validUser().append("_id", "u-2").append("emailNormalized", "b@x.example")
                .append("idempotencyKey", "k".repeat(201)));
        assertRejected("users", validUser().append("_id", "u-3").append("emailNormalized", "c@x.example")
                .append("idempotencyKey", "has spaces"));
    }

    @Test
    void rejectsAUserWithoutTenant() {
        Document user = validUser();
        user.remove("tenantId");

        assertRejected("users", user);
    }

    @Test
    void rejectsACredentialWhoseTokenIsPlaintext() {
        Document credential = new Document("_id", "c1").append("tenantId", "t1").append("userId", "u1")
                .append("provider", "GOOGLE").append("status", "ACTIVE").append("createdAt", new Date())
                .append("accessToken", "ya29.plaintext-token");

        assertRejected("oauth_credentials", credential);
    }

    @Test
    void acceptsACredentialWhoseTokenIsSealed() {
        Document credential = new Document("_id", "c1").append("tenantId", "t1").append("userId", "u1")
                .append("provider", "GOOGLE").append("status", "ACTIVE").append("createdAt", new Date())
                .append("accessToken", new Document("keyId", "k1").append("ciphertext", new Binary(new byte[] {1, 2, 3})));

        insert("oauth_credentials", credential);

        assertThat(Mono.from(db.database().getCollection("oauth_credentials").countDocuments()).block()).isEqualTo(1);
    }

    @Test
    void rejectsAScanWithAScoreAboveOne() {
        Document scan = new Document("_id", "s1").append("tenantId", "t1").append("emailId", "e1")
                .append("verdict", "MALICIOUS").append("score", 1.5).append("scannedAt", new Date())
                .append("createdAt", new Date());

        assertRejected("scan_results", scan);
    }

    private static Document validUser() {
        return new Document("_id", "u1").append("tenantId", "t1").append("email", "Ann@Example.com")
                .append("emailNormalized", "ann@example.com").append("role", "ANALYST").append("status", "ACTIVE")
                .append("createdAt", new Date());
    }

    private void insert(String collection, Document document) {
        Mono.from(db.database().getCollection(collection).insertOne(document)).block();
    }

    private void assertRejected(String collection, Document document) {
        assertThatThrownBy(() -> insert(collection, document))
                .isInstanceOf(MongoWriteException.class)
                .satisfies(failure -> assertThat(((MongoWriteException) failure).getCode())
                        .isEqualTo(DOCUMENT_VALIDATION_FAILURE));
        assertThat(Mono.from(db.database().getCollection(collection).countDocuments()).block()).isZero();
    }
}
