package com.phishnet.store.platform.mongo.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import com.phishnet.store.platform.mongo.MongoUnavailableException;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** What the launcher does with a data directory whose replica-set configuration names another address. */
class EmbeddedMongodTest {

    private static final Path DATA = Path.of(".data/mongodb");

    /** As stored in local.system.replset by the launcher's replSetInitiate on port 27027. */
    private static final Document STORED = Document.parse("""
            {_id: 'rs0', version: 1, term: 3, protocolVersion: 1,
             members: [{_id: 0, host: '127.0.0.1:27027', arbiterOnly: false, priority: 1, votes: 1}],
             settings: {electionTimeoutMillis: 10000}}""");

    @Test
    void aMemberStartedOnANewPortIsMovedToIt() {
        Document moved = EmbeddedMongod.movedConfig(STORED, "127.0.0.1:27028", DATA).orElseThrow();

        assertThat(moved.getList("members", Document.class)).singleElement()
                .satisfies(member -> assertThat(member.getString("host")).isEqualTo("127.0.0.1:27028"))
                .satisfies(member -> assertThat(member.getInteger("_id")).isZero());
    }

    @Test
    void theForcedConfigurationKeepsTheSetAndLetsTheServerChooseTheTerm() {
        Document moved = EmbeddedMongod.movedConfig(STORED, "127.0.0.1:27028", DATA).orElseThrow();

        assertThat(moved.getString("_id")).isEqualTo("rs0");
        assertThat(moved.get("settings")).isEqualTo(STORED.get("settings"));
        assertThat(moved).doesNotContainKey("term");
    }

    @Test
    void aMemberOnItsOwnPortIsLeftAlone() {
        assertThat(EmbeddedMongod.movedConfig(STORED, "127.0.0.1:27027", DATA)).isEmpty();
    }

    @Test
    void aSetOfSeveralMembersIsNotRewrittenButExplained() {
        Document twoMembers = new Document(STORED).append("members", List.of(
                new Document("_id", 0).append("host", "a:27017"), new Document("_id", 1).append("host", "b:27017")));

        assertThatThrownBy(() -> EmbeddedMongod.movedConfig(twoMembers, "127.0.0.1:27028", DATA))
                .isInstanceOf(MongoUnavailableException.class)
                .hasMessageContaining("2 members [a:27017, b:27017]")
                .hasMessageContaining("move the directory away");
    }
}
