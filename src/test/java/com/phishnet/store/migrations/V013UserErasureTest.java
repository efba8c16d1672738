package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/** V013 widens the users validator the server has now, rather than one rebuilt from code. */
class V013UserErasureTest {

    @Test
    void aPropertyTheServersValidatorGainedSinceIsKeptAndErasedIsAdded() {
        Document current = V006_IdempotentCreates.users(null);
        current.get("$jsonSchema", Document.class).get("properties", Document.class)
                .append("locale", new Document("bsonType", "string"));

        Document widened = V013_UserErasure.users(current).get("$jsonSchema", Document.class);

        Document properties = widened.get("properties", Document.class);
        assertThat(properties).containsKeys("locale", "erasedAt");
        assertThat(properties.get("status", Document.class).getList("enum", String.class)).contains("ERASED");
    }

    @Test
    void withoutAValidatorOnTheServerItStartsFromV006s() {
        assertThat(V013_UserErasure.users(null)).isEqualTo(V013_UserErasure.users());
        assertThat(V013_UserErasure.users(null).get("$jsonSchema", Document.class).get("properties", Document.class))
                .containsKeys("idempotencyKey", "erasedAt");
    }
}
