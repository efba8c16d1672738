package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;

import com.mongodb.MongoWriteException;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

/**
 * The server enforces the validators the migrations install. Every rejected document is a base document the
 * server accepts (first test) with exactly one field changed (ValidatorCasesTest proves both without a server),
 * so each rejection is for the rule it is named after.
 */
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

    @ParameterizedTest
    @MethodSource("com.phishnet.store.migrations.ValidatorCases#collections")
    void acceptsTheBaseDocument(String collection) {
        insert(collection, ValidatorCases.base(collection));

        assertThat(count(collection)).isEqualTo(1);
    }

    @ParameterizedTest(name = "rejects {0}")
    @MethodSource("com.phishnet.store.migrations.ValidatorCases#rejections")
    void rejectsTheBaseDocumentWithOneRuleBroken(ValidatorCases.Rejection rejection) {
        assertThatThrownBy(() -> insert(rejection.collection(), rejection.document()))
                .isInstanceOf(MongoWriteException.class)
                .satisfies(failure -> assertThat(((MongoWriteException) failure).getCode())
                        .isEqualTo(DOCUMENT_VALIDATION_FAILURE));
        assertThat(count(rejection.collection())).isZero();
    }

    private void insert(String collection, Document document) {
        Mono.from(db.database().getCollection(collection).insertOne(document)).block();
    }

    private long count(String collection) {
        return Mono.from(db.database().getCollection(collection).countDocuments()).block();
    }
}
