package com.phishnet.store.streams;

import java.time.Duration;
import java.time.Instant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.phishnet.store.platform.web.InputBounds;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Request and response shapes of the stream-ticket API, and its settings. */
public final class StreamTicketRequests {

    /** The streams a ticket can open: their paths under {@link StreamTicketFields#STREAM_PREFIX}. */
    public static final String SCANS = "scans";
    public static final String THREATS = "threats";
    public static final String AUDIT = "audit";
    public static final String JOB_PREFIX = "jobs/";
    /** A job's id as the service generates them (UUIDs), bounded like every id; nothing that needs encoding. */
    public static final String STREAM_PATTERN = "(" + SCANS + "|" + THREATS + "|" + AUDIT + "|" + JOB_PREFIX
            + "[A-Za-z0-9_-]{1," + InputBounds.ID_MAX + "})";

    private StreamTicketRequests() {
    }

    public record CreateTicket(
            @NotNull @Pattern(regexp = STREAM_PATTERN,
                    message = "must be scans, threats, audit or jobs/<id>") String stream) {
    }

    /** The only time the ticket itself is shown: the service keeps just its hash. */
    public record IssuedTicket(String ticket, String stream, Instant expiresAt) {

        @Override
        public String toString() {
            return "IssuedTicket[stream=" + stream + ", expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * {@code ttl}: how long a ticket may wait to be used; a minute is enough for a page to open its stream, short
     * enough that a ticket copied from a URL (proxy logs, browser history) is of no use.
     */
    @Validated
    @ConfigurationProperties("phishnet.stream-tickets")
    public record StreamTicketProperties(@DefaultValue("60s") @DurationMin(seconds = 1) @DurationMax(minutes = 5) Duration ttl) {
    }
}
