package com.phishnet.store.streams;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the event streams behave and what they may cost an instance.
 *
 * @param keepAlive          a comment line after this much silence, so proxies keep idle connections open
 * @param retry              the reconnection delay the {@code retry:} field suggests to clients
 * @param bufferSize         events queued for one subscriber before it counts as fallen behind ({@code overflow})
 * @param maxPerPrincipal    open streams of one caller (tenant and subject) on one instance; beyond: 429
 * @param maxPerInstance     open streams on one instance; beyond: 503
 * @param maxCatchUps        catch-up cursors (clients resuming with Last-Event-ID) open at once; beyond: 503
 * @param maxCatchUpsPerPrincipal catch-up cursors of one caller open at once; beyond: 429
 * @param retryAfter         what a refused client is told to wait ({@code Retry-After})
 * @param reconnectMin       the first pause before a shared cursor that failed is reopened
 * @param reconnectMax       the longest such pause (it doubles up to this)
 * @param healthyAfter       a reopened shared cursor without an error for this long counts as UP again
 */
@Validated
@ConfigurationProperties("phishnet.streams")
public record StreamProperties(
        @NotNull @DefaultValue("15s") Duration keepAlive,
        @NotNull @DefaultValue("3s") Duration retry,
        @Min(1) @Max(1_000_000) @DefaultValue("1000") int bufferSize,
        @Min(1) @DefaultValue("10") int maxPerPrincipal,
        @Min(1) @DefaultValue("20000") int maxPerInstance,
        @Min(1) @DefaultValue("64") int maxCatchUps,
        @Min(1) @DefaultValue("2") int maxCatchUpsPerPrincipal,
        @NotNull @DefaultValue("5s") Duration retryAfter,
        @NotNull @DefaultValue("1s") Duration reconnectMin,
        @NotNull @DefaultValue("30s") Duration reconnectMax,
        @NotNull @DefaultValue("10s") Duration healthyAfter) {
}
