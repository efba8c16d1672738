package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeStreamErrorsTest {

    static MongoCommandException commandFailed(int code) {
        return new MongoCommandException(new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(code))
                .append("errmsg", new BsonString("failed with " + code)), new ServerAddress());
    }

    @ParameterizedTest
    @ValueSource(ints = {286})
    void aResumePointTheOplogNoLongerHoldsIsLostHistory(int code) {
        assertThat(ChangeStreamErrors.historyLost(commandFailed(code))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {286})
    void soIsOneWrappedByTheFramework(int code) {
        RuntimeException wrapped = new IllegalStateException("cursor failed",
                new RuntimeException("translated", commandFailed(code)));

        assertThat(ChangeStreamErrors.historyLost(wrapped)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 280, 11600, 91, 189, 10107, 13436, 287})
    void otherServerErrorsAreNotLostHistory(int code) {
        assertThat(ChangeStreamErrors.historyLost(commandFailed(code))).isFalse();
        assertThat(ChangeStreamErrors.historyLost(new IllegalStateException(commandFailed(code)))).isFalse();
    }

    @Test
    void networkAndNonMongoFailuresAreResumable() {
        assertThat(ChangeStreamErrors.historyLost(new MongoSocketReadException("reset", new ServerAddress()))).isFalse();
        assertThat(ChangeStreamErrors.historyLost(new IllegalStateException("286"))).isFalse();
        assertThat(ChangeStreamErrors.historyLost(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {286, 280, 2, 9})
    void aResumePointTheServerLostOrNeverKnewCannotBeResumedFrom(int code) {
        assertThat(ChangeStreamErrors.cannotResume(commandFailed(code))).isTrue();
        assertThat(ChangeStreamErrors.cannotResume(new IllegalStateException(commandFailed(code)))).isTrue();
    }

    @Test
    void onlyHistoryLostIsHistoryLostTheRestIsAnUnknownPosition() {
        assertThat(ChangeStreamErrors.historyLost(commandFailed(286))).isTrue();
        assertThat(ChangeStreamErrors.positionUnknown(commandFailed(286))).isFalse();
        assertThat(ChangeStreamErrors.historyLost(commandFailed(280))).isFalse();
        assertThat(ChangeStreamErrors.positionUnknown(commandFailed(280))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {43, 91, 189, 10107, 11600, 11601, 13436, 237, 175, 50, 13, 9001, 40573})
    void everyOtherFailureIsResumedFromWhereTheCursorWas(int code) {
        assertThat(ChangeStreamErrors.cannotResume(commandFailed(code))).isFalse();
    }

    @Test
    void networkFailuresAreResumedFrom() {
        assertThat(ChangeStreamErrors.cannotResume(new MongoSocketReadException("reset", new ServerAddress()))).isFalse();
        assertThat(ChangeStreamErrors.cannotResume(new IllegalStateException("no server"))).isFalse();
    }
}
