package com.phishnet.store.platform.mongo;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How schema migrations connect. They run once at startup through a client of their own, so an index build on
 * a populated collection is not cut off by the request client's socket timeout, and so they can connect as a
 * user with the schema privileges ({@code dbAdmin}) the serving user does not need.
 *
 * @param uri                    where and as whom migrations connect; unset = the service's own address and
 *                               credential ({@code MONGODB_URI} or the embedded replica set)
 * @param serverSelectionTimeout longer than a request's: at startup an election may still be in progress
 * @param socketTimeout          socket read timeout of migration commands; {@code 0} = none, because a
 *                               {@code createIndexes} on a large collection answers only when the build is done
 */
@Validated
@ConfigurationProperties("phishnet.mongo.migration")
public record MigrationMongoProperties(
        String uri,
        @DefaultValue("30s") @NotNull @DurationMin(millis = 100) Duration serverSelectionTimeout,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 100) Duration connectTimeout,
        @DefaultValue("0s") @NotNull @DurationMin(millis = 0) Duration socketTimeout) {

    public boolean hasOwnUri() {
        return uri != null && !uri.isBlank();
    }
}
