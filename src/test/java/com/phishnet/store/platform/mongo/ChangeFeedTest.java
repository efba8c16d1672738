package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

class ChangeFeedTest {

    @Test
    void aSharedCursorStartsJustAfterTheLastMajorityCommittedWrite() {
        BsonDocument hello = BsonDocument.parse("""
                {"isWritablePrimary": true, "setName": "rs0",
                 "lastWrite": {"opTime": {"ts": {"$timestamp": {"t": 1790000100, "i": 9}}, "t": 3},
                               "majorityOpTime": {"ts": {"$timestamp": {"t": 1790000100, "i": 7}}, "t": 3}}}""");

        // startAtOperationTime includes its own time: one increment on, the last committed write is not repeated.
        assertThat(ChangeFeed.afterMajorityOpTime(hello)).isEqualTo(new BsonTimestamp(1790000100, 8));
    }

    @Test
    void throughAMongosRouterASharedCursorStartsAtTheRoutersClusterTime() {
        BsonDocument hello = BsonDocument.parse("""
                {"isWritablePrimary": true, "msg": "isdbgrid",
                 "$clusterTime": {"clusterTime": {"$timestamp": {"t": 1790000200, "i": 4}}, "signature": {}}}""");

        assertThat(ChangeFeed.afterMajorityOpTime(hello)).isEqualTo(new BsonTimestamp(1790000200, 4));
    }

    @Test
    void aServerThatIsNoReplicaSetMemberHasNoSuchTime() {
        assertThatThrownBy(() -> ChangeFeed.afterMajorityOpTime(BsonDocument.parse("{\"isWritablePrimary\": true}")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("majorityOpTime");
    }

    @Test
    void aPositionIsEitherAfterAnEventOrAtATime() {
        assertThatThrownBy(() -> new ChangePosition(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChangePosition(ResumeToken.parse("82" + "0".repeat(16)), new BsonTimestamp(1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
