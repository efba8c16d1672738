package com.phishnet.store.platform.mongo;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The slow-command log ({@link SlowCommandLog}).
 *
 * @param threshold  a command that takes at least this long is logged and counted; {@code 0s} logs every command
 *                   (for a short diagnosis only)
 * @param maxInFlight how many started commands are remembered while they run; a command whose end event never
 *                   arrives is forgotten once this many newer ones have started, so a lost event cannot grow memory
 */
@Validated
@ConfigurationProperties("phishnet.mongo.slow-commands")
public record SlowCommandProperties(
        @DefaultValue("200ms") @NotNull @DurationMin(millis = 0) Duration threshold,
        @DefaultValue("10000") @Min(16) @Max(1_000_000) int maxInFlight) {
}
