package com.phishnet.store.support.bench;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Bulk ingestion measured next to single requests: a closed loop of batch requests counts calls, the comparison needs
 * scans. {@link #perItem} turns a measurement of batches into one of the scans they carried (latency stays that of a
 * whole batch request), so its throughput is scans/s and {@link Ratio#throughput} compares it with single requests'.
 */
public final class BatchThroughput {

    private BatchThroughput() {
    }

    /**
     * The measurement counted in items: {@code itemsPerBatch} scans per completed batch (and per failed or unsent
     * one), over the same seconds, with the batches' latencies.
     */
    public static Measurement perItem(Measurement batches, int itemsPerBatch) {
        if (itemsPerBatch < 1) {
            throw new IllegalArgumentException("a batch carries at least one item, not " + itemsPerBatch);
        }
        return new Measurement(batches.model(), batches.concurrency(), batches.ratePerSecond() * itemsPerBatch,
                Math.multiplyExact(batches.completed(), itemsPerBatch), Math.multiplyExact(batches.errors(), itemsPerBatch),
                Math.multiplyExact(batches.unsent(), itemsPerBatch), batches.saturated(), batches.seconds(),
                batches.latency(), batches.firstError());
    }

    /** Scans/s in batches over scans/s in single requests; empty when either side completed nothing. */
    public static OptionalDouble ratio(Measurement batches, int itemsPerBatch, Measurement singles) {
        return Ratio.throughput(perItem(batches, itemsPerBatch), singles);
    }

    /**
     * The closed-loop level batches are measured at, so they meet the single requests measured at that same level:
     * the largest level not above {@code preferred}, or the smallest level when every level is above it.
     */
    public static int comparableLevel(List<Integer> levels, int preferred) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("no closed-loop level to compare with");
        }
        return levels.stream().filter(level -> level <= preferred).max(Integer::compare)
                .orElseGet(() -> levels.stream().min(Integer::compare).orElseThrow());
    }
}
