package com.phishnet.store.backup;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * How backups ended, as the counter {@value #FINISHED} (tags {@code trigger}: manual, scheduled, retention;
 * {@code outcome}: completed, failed). A backup counts once, when its record reaches COMPLETED or FAILED: the write
 * that flips it is the one that counts, so a failure noticed by two workers, or a retention archive completed but
 * then discarded, is never counted twice. A retention archive counts as completed only once it has verified.
 */
@Component
public class BackupMetrics {

    public static final String FINISHED = "phishnet.backups.finished";

    private final Map<BackupTrigger, Counter> completed = new EnumMap<>(BackupTrigger.class);
    private final Map<BackupTrigger, Counter> failed = new EnumMap<>(BackupTrigger.class);

    public BackupMetrics(MeterRegistry meters) {
        for (BackupTrigger trigger : BackupTrigger.values()) {
            completed.put(trigger, counter(meters, trigger, "completed"));
            failed.put(trigger, counter(meters, trigger, "failed"));
        }
    }

    void completed(BackupTrigger trigger) {
        completed.get(trigger).increment();
    }

    void failed(BackupTrigger trigger) {
        failed.get(trigger).increment();
    }

    private static Counter counter(MeterRegistry meters, BackupTrigger trigger, String outcome) {
        return Counter.builder(FINISHED)
                .tag("trigger", trigger.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome)
                .description("Backups (and retention archives) that reached COMPLETED or FAILED")
                .register(meters);
    }
}
