package com.phishnet.store.platform.mongo;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the service talks to MongoDB. Timeouts are explicit rather than driver defaults (some of which
 * are "wait forever"), so a lost server turns into a prompt error instead of a hung request.
 */
@Validated
@ConfigurationProperties("phishnet.mongo")
public record StoreMongoProperties(
        @DefaultValue("5s") @NotNull @DurationMin(millis = 100) Duration serverSelectionTimeout,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 100) Duration connectTimeout,
        @DefaultValue("60s") @NotNull @DurationMin(seconds = 1) Duration socketTimeout,
        @DefaultValue("100") @Min(1) @Max(1000) int maxPoolSize,
        @DefaultValue("0") @Min(0) int minPoolSize,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 100) Duration maxConnectionWaitTime,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 100) Duration writeConcernTimeout,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 100) Duration transactionMaxCommitTime,
        @DefaultValue @Valid Embedded embedded) {

    /** The local single-node replica set the application launches when no {@code MONGODB_URI} is given. */
    public record Embedded(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("8.0") @NotBlank String version,
            @DefaultValue("27027") @Min(1024) @Max(65535) int port,
            @DefaultValue(".data/mongodb") @NotNull Path dataDirectory,
            @DefaultValue("rs0") @NotBlank String replicaSetName,
            @DefaultValue("60s") @NotNull @DurationMin(seconds = 1) Duration startupTimeout) {
    }
}
