package com.phishnet.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.phishnet.store.platform.mongo.MongoMisconfiguredException;
import com.phishnet.store.platform.mongo.MongoStartupFailureAnalyzer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

class ConfigurationRefusedFailureAnalyzerTest {

    @Test
    void aMisconfiguredMongoDbIsExplainedWithItsOwnWayOut() {
        Throwable failure = new IllegalStateException("context failed",
                new MongoMisconfiguredException("MongoDB at db:27017 is a mongos router", "Use a replica set URI"));

        FailureAnalysis analysis = new ConfigurationRefusedFailureAnalyzer().analyze(failure);

        assertThat(analysis.getDescription()).isEqualTo("MongoDB at db:27017 is a mongos router");
        assertThat(analysis.getAction()).isEqualTo("Use a replica set URI");
        assertThat(new MongoStartupFailureAnalyzer().analyze(failure))
                .as("the MongoDB analyzer leaves it to the generic one instead of printing the generic ways out")
                .isNull();
    }
}
