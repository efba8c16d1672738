package com.phishnet.store.platform.redis;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request limits per route group, per principal (tenant + subject) and per client IP, in fixed windows.
 * Groups are matched in order; the first whose method and path pattern match applies.
 */
@Validated
@ConfigurationProperties("phishnet.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1m") @NotNull @DurationMin(millis = 100) Duration window,
        @DefaultValue List<@Valid Group> groups) {

    /** {@code method} empty = any method; {@code path} is a Spring path pattern such as /api/v1/admin/**. */
    public record Group(@NotBlank String name, String method, @NotBlank String path, @Min(1) int perPrincipal,
            @Min(1) int perIp) {
    }
}
