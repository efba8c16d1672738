package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.mongodb.MongoClientSettings;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;
import org.junit.jupiter.api.Test;

class MongoClientConfigTest {

    private final StoreMongoProperties properties = new StoreMongoProperties(Duration.ofSeconds(3),
            Duration.ofSeconds(4), Duration.ofSeconds(45), 80, 2, Duration.ofSeconds(6), Duration.ofSeconds(7),
            Duration.ofSeconds(8), null);

    private final MongoClientSettings settings = customized("mongodb://h1,h2/phishnet?replicaSet=rs0&w=1&retryWrites=false");

    @Test
    void writesWaitForAJournaledMajority() {
        WriteConcern writeConcern = settings.getWriteConcern();

        assertThat(writeConcern.getWString()).isEqualTo("majority");
        assertThat(writeConcern.getJournal()).isTrue();
        assertThat(writeConcern.getWTimeout(TimeUnit.MILLISECONDS)).isEqualTo(7_000);
    }

    @Test
    void overridesWeakerOptionsFromTheConnectionString() {
        assertThat(settings.getRetryWrites()).isTrue();
        assertThat(settings.getWriteConcern()).isNotEqualTo(WriteConcern.W1);
    }

    @Test
    void readsMajorityCommittedDataFromThePrimary() {
        assertThat(settings.getReadConcern()).isEqualTo(ReadConcern.MAJORITY);
        assertThat(settings.getReadPreference()).isEqualTo(ReadPreference.primary());
        assertThat(settings.getRetryReads()).isTrue();
    }

    @Test
    void configuresEveryTimeoutExplicitly() {
        assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS)).isEqualTo(3_000);
        assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS)).isEqualTo(4_000);
        assertThat(settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS)).isEqualTo(45_000);
        assertThat(settings.getConnectionPoolSettings().getMaxWaitTime(TimeUnit.MILLISECONDS)).isEqualTo(6_000);
    }

    @Test
    void sizesTheConnectionPool() {
        assertThat(settings.getConnectionPoolSettings().getMaxSize()).isEqualTo(80);
        assertThat(settings.getConnectionPoolSettings().getMinSize()).isEqualTo(2);
    }

    @Test
    void transactionsReadASnapshotAndCommitToAMajority() {
        TransactionOptions options = MongoClientConfig.transactionOptions(properties);

        assertThat(options.getReadConcern()).isEqualTo(ReadConcern.SNAPSHOT);
        assertThat(options.getWriteConcern().getWString()).isEqualTo("majority");
        assertThat(options.getReadPreference()).isEqualTo(ReadPreference.primary());
        assertThat(options.getMaxCommitTime(TimeUnit.MILLISECONDS)).isEqualTo(8_000);
    }

    private MongoClientSettings customized(String uri) {
        MongoClientSettings.Builder builder = MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(uri));
        new MongoClientConfig().storeMongoClientSettings(properties).customize(builder);
        return builder.build();
    }
}
