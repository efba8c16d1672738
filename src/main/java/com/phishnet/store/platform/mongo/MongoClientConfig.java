package com.phishnet.store.platform.mongo;

import java.util.concurrent.TimeUnit;

import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.ReactiveMongoTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Client and transaction settings that the invariants depend on: majority writes, retryable writes and
 * reads, majority reads outside transactions, snapshot reads inside them.
 */
@Configuration(proxyBeanMethods = false)
public class MongoClientConfig {

    /** Runs after Boot's own customizer, so these settings win over the same options in the connection string. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    MongoClientSettingsBuilderCustomizer storeMongoClientSettings(StoreMongoProperties properties) {
        return builder -> builder
                .writeConcern(majorityWriteConcern(properties))
                .readConcern(ReadConcern.MAJORITY)
                .readPreference(ReadPreference.primary())
                .retryWrites(true)
                .retryReads(true)
                .applyToClusterSettings(cluster -> cluster
                        .serverSelectionTimeout(properties.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(socket -> socket
                        .connectTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(properties.socketTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(pool -> pool
                        .maxSize(properties.maxPoolSize())
                        .minSize(properties.minPoolSize())
                        .maxWaitTime(properties.maxConnectionWaitTime().toMillis(), TimeUnit.MILLISECONDS));
    }

    @Bean
    ReactiveMongoTransactionManager transactionManager(ReactiveMongoDatabaseFactory databaseFactory,
            StoreMongoProperties properties) {
        return new CommitRetryingTransactionManager(databaseFactory, transactionOptions(properties));
    }

    @Bean
    TransactionalOperator transactionalOperator(ReactiveMongoTransactionManager transactionManager) {
        return TransactionalOperator.create(transactionManager);
    }

    /** Every transaction reads one snapshot and commits with majority acknowledgement on the primary. */
    static TransactionOptions transactionOptions(StoreMongoProperties properties) {
        return TransactionOptions.builder()
                .readConcern(ReadConcern.SNAPSHOT)
                .writeConcern(majorityWriteConcern(properties))
                .readPreference(ReadPreference.primary())
                .maxCommitTime(properties.transactionMaxCommitTime().toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    static WriteConcern majorityWriteConcern(StoreMongoProperties properties) {
        return WriteConcern.MAJORITY
                .withJournal(true)
                .withWTimeout(properties.writeConcernTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
