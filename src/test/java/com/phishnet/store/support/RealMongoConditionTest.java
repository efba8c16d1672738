package com.phishnet.store.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/** Whether the MongoDB tier runs, skips, or fails, from the facts the harness gathered. */
class RealMongoConditionTest {

    @Test
    void runsWhereAServerWasFound() {
        assertThat(RealMongoCondition.decide("MONGODB_URI", null, true).isDisabled()).isFalse();
    }

    @Test
    void skipsWithTheReasonWhereNoServerIsExpected() {
        ConditionEvaluationResult result = RealMongoCondition.decide(null, "no Docker", false);

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason).startsWith("MongoDB integration tier SKIPPED: no Docker"));
    }

    @Test
    void failsWithTheReasonWhereAServerIsRequired() {
        assertThatThrownBy(() -> RealMongoCondition.decide(null, "no Docker", true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PHISHNET_REQUIRE_MONGODB=true")
                .hasMessageContaining("no Docker");
    }

    @Test
    void isRequiredOnlyWhenTheVariableSaysSo() {
        assertThat(RealMongo.required(Map.of("PHISHNET_REQUIRE_MONGODB", "true"))).isTrue();
        assertThat(RealMongo.required(Map.of("PHISHNET_REQUIRE_MONGODB", " YES "))).isTrue();
        assertThat(RealMongo.required(Map.of("PHISHNET_REQUIRE_MONGODB", "false"))).isFalse();
        assertThat(RealMongo.required(Map.of())).isFalse();
    }
}
