package com.phishnet.store.scans;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.web.Idempotency;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.scans.ScanRequests.EmailInput;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import com.phishnet.store.scans.ScanRequests.ResultInput;

/** Request and response shapes of bulk ingestion ({@code POST /api/v1/scans:batch}). */
public final class ScanBatchRequests {

    /** What an item's result says happened to it. */
    public static final String CREATED = "created";
    public static final String DUPLICATE = "duplicate";
    public static final String INVALID = "invalid";
    public static final String CONFLICT = "conflict";
    public static final String FAILED = "failed";
    public static final List<String> STATUSES = List.of(CREATED, DUPLICATE, INVALID, CONFLICT, FAILED);

    private ScanBatchRequests() {
    }

    /**
     * The JSON body: 1 to {@code phishnet.scans.batch.max-items} items. Read by hand (ScanBatchReader), each item on
     * its own, so a wrong item is that item's {@code invalid} and never the whole request's 400; this record is the
     * shape the API document shows.
     */
    public record ScanBatch(List<BatchItem> items) {
    }

    /**
     * One scan of a batch: the fields of {@code POST /api/v1/scans}, validated the same way, and the
     * {@code Idempotency-Key} that route takes as a header, as a field. Optional as there; without one a retried
     * batch stores the scan again.
     */
    public record BatchItem(
            @Size(min = 1, max = Idempotency.MAX_KEY_LENGTH) @Pattern(regexp = Idempotency.KEY_PATTERN) String idempotencyKey,
            @NotBlank @Size(max = InputBounds.ID_MAX) String userId,
            @NotNull @Valid EmailInput email,
            @NotNull @Valid ResultInput result) {

        /** The scan as the single route reads it: its request hash, hence duplicate or conflict, is the same. */
        IngestScan scan() {
            return new IngestScan(userId, email, result);
        }
    }

    /**
     * What became of one item, in input order.
     *
     * @param index   0-based position among the items (NDJSON: among the non-blank lines)
     * @param line    NDJSON only: the 1-based line of the body
     * @param status  {@value #CREATED}, {@value #DUPLICATE}, {@value #INVALID}, {@value #CONFLICT} or {@value #FAILED}
     * @param scanId  the scan stored (created) or found (duplicate)
     * @param problem why it is invalid, a conflict or failed: the RFC 9457 problem the single route would answer
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemResult(int index, Long line, String status, String scanId, Map<String, Object> problem) {
    }

    /** How many items ended in each status. */
    public record Counts(long created, long duplicate, long invalid, long conflict, long failed) {

        public long total() {
            return created + duplicate + invalid + conflict + failed;
        }
    }

    /** The JSON answer: every item's result in input order, and the counts. */
    public record BatchResult(List<ItemResult> results, Counts counts) {
    }

    /**
     * The last line of an NDJSON answer. A stream that ends without it was cut short (a disconnect, a server fault):
     * the lines before it are still exact.
     *
     * @param items    items read and answered
     * @param complete false when the body held more than {@code ndjson-max-items} items and the rest was not read
     * @param problem  why it is not complete; absent when it is
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(Counts counts, long items, boolean complete, Map<String, Object> problem) {
    }
}
