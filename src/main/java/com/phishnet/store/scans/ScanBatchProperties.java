package com.phishnet.store.scans;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Bulk ingestion ({@code POST /api/v1/scans:batch}): how much one request may hold and how much of it runs at once.
 *
 * @param concurrency            items of one request in flight at once (validated, waiting for their tenant's turn,
 *                               in their transaction, or evicting caches after it). A tenant's transactions run one
 *                               after another on an instance ({@code Transactions}), so a request holds at most one
 *                               pooled connection for a transaction whatever this is; the bound keeps what it parks
 *                               in memory and the post-commit work small next to the pool of 100
 *                               (docs/architecture.md, "Bulk ingestion")
 * @param maxItems               items of one JSON request; more is a 413 before anything is stored
 * @param maxBodySize            bytes of one JSON request (more: 413); its own limit, as a batch is larger than the
 *                               1 MB {@code spring.codec.max-in-memory-size} of other bodies
 * @param ndjsonMaxItems         lines of one NDJSON request, blank ones included; the rest is not read, and the
 *                               summary line says the input was cut off. Also the bound of the results held in memory
 *                               while a client does not read the response yet: about 2 MB at 10,000 stored items, up
 *                               to 10-15 MB when every item failed with its problem
 * @param maxLineLength          bytes of one NDJSON line; a longer line is that item's {@code invalid} (413 problem)
 * @param maxConsecutiveFailures items in a row that failed for want of the store before the remaining ones are
 *                               reported {@code failed} without being tried (each would otherwise wait for its own
 *                               server-selection timeout)
 */
@Validated
@ConfigurationProperties("phishnet.scans.batch")
public record ScanBatchProperties(
        @Min(1) @Max(64) @DefaultValue("8") int concurrency,
        @Min(1) @Max(10_000) @DefaultValue("1000") int maxItems,
        @NotNull @DefaultValue("16MB") DataSize maxBodySize,
        @Min(1) @Max(100_000) @DefaultValue("10000") int ndjsonMaxItems,
        @NotNull @DefaultValue("1MB") DataSize maxLineLength,
        @Min(1) @DefaultValue("5") int maxConsecutiveFailures) {

    private static final DataSize MAX_SIZE = DataSize.ofGigabytes(1);

    /** Sizes are read into int-sized buffers: anything from 1 byte to 1 GB, else the start fails on the setting. */
    public ScanBatchProperties {
        for (DataSize size : new DataSize[] {maxBodySize, maxLineLength}) {
            if (size != null && (size.toBytes() < 1 || size.toBytes() > MAX_SIZE.toBytes())) {
                throw new IllegalArgumentException("phishnet.scans.batch sizes must be 1B to 1GB, not " + size);
            }
        }
    }

    /** The defaults, for tests and tools. */
    public static ScanBatchProperties defaults() {
        return new ScanBatchProperties(8, 1000, DataSize.ofMegabytes(16), 10_000, DataSize.ofMegabytes(1), 5);
    }
}
