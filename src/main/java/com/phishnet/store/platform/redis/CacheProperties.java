package com.phishnet.store.platform.redis;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Redis is used as a cache: how long one command may take before it counts as failed, and when the
 * circuit breaker stops calling Redis and when it tries again.
 */
@Validated
@ConfigurationProperties("phishnet.cache")
public record CacheProperties(
        @DefaultValue("250ms") @NotNull @DurationMin(millis = 10) Duration commandTimeout,
        @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
        @DefaultValue("20") @Min(2) int slidingWindowSize,
        @DefaultValue("5") @Min(1) int minimumCalls,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 10) Duration openFor,
        @DefaultValue("3") @Min(1) int callsWhenHalfOpen) {
}
