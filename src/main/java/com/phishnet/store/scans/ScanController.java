package com.phishnet.store.scans;

import java.time.Instant;

import com.phishnet.store.platform.web.RequestIdFilter;
import com.phishnet.store.platform.web.SuccessStatus;
import com.phishnet.store.scans.ScanBatchRequests.BatchItem;
import com.phishnet.store.scans.ScanBatchRequests.BatchResult;
import com.phishnet.store.scans.ScanBatchRequests.ItemResult;
import com.phishnet.store.scans.ScanBatchRequests.ScanBatch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.Idempotency;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.scans.ScanRequests.FeedbackInput;
import com.phishnet.store.scans.ScanRequests.FeedbackView;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import com.phishnet.store.scans.ScanRequests.ScanView;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Scans and scanned emails: ingestion, reads with filters, offset pages or keyset cursors, analyst feedback.
 * A list with a {@code cursor} parameter (empty for the first page) answers {@code {items, nextCursor}};
 * without one, {@code {items, page, size, total, pages, links}}.
 */
@RestController
public class ScanController {

    /** Bulk ingestion; a colon names the action, so it shares no pattern with {@code /api/v1/scans/{id}}. */
    public static final String BATCH_PATH = "/api/v1/scans:batch";

    private final ScanService scans;
    private final ScanBatches batches;
    private final ScanBatchReader batchReader;
    private final ScanBatchProperties batchProperties;

    public ScanController(ScanService scans, ScanBatches batches, ScanBatchReader batchReader,
            ScanBatchProperties batchProperties) {
        this.scans = scans;
        this.batches = batches;
        this.batchReader = batchReader;
        this.batchProperties = batchProperties;
    }

    @PostMapping("/api/v1/scans")
    @Operation(summary = "Ingest a scan")
    @SuccessStatus(value = HttpStatus.CREATED, location = true, alsoOk = Idempotency.REPLAY)
    @Requires(Rule.SCAN_WRITER)
    public Mono<ResponseEntity<ScanView>> ingest(Caller caller, @Valid @RequestBody IngestScan request,
            @RequestHeader(name = Idempotency.HEADER, required = false)
            @Size(min = 1, max = Idempotency.MAX_KEY_LENGTH) @Pattern(regexp = Idempotency.KEY_PATTERN) String idempotencyKey) {
        return scans.ingest(caller, request, idempotencyKey)
                .map(ingested -> Idempotency.created(ingested.scan(), ingested.replayed(),
                        UriComponentsBuilder.fromPath("/api/v1/scans/{id}").build(ingested.scan().id())));
    }

    /**
     * Many scans in one request, each through the single route's path (its own transaction and idempotency key) with
     * a result of its own in input order. JSON: {@code {"items": [...]}} in, {@code {"results", "counts"}} out.
     * NDJSON: one item per line in, one result per line out as items complete, then a summary line. The body is read
     * by hand: a JSON batch has a byte limit of its own, and an NDJSON one is read as its items complete.
     */
    @PostMapping(path = BATCH_PATH, consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE},
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    @Operation(summary = "Ingest scans in bulk",
            description = "Each item is ingested as by `POST /api/v1/scans`: validated the same way, in its own"
                    + " transaction, under its own `idempotencyKey` (the single route's Idempotency-Key header, as an"
                    + " item field). Every item gets a result in input order: `created`, `duplicate` (the key's earlier"
                    + " scan, same body), `invalid` (with the problem the single route would answer), `conflict` (the"
                    + " key was used for another scan: the single route's 409) or `failed` (valid, but the database"
                    + " could not store it: send it again with the same key). Items sharing a key run in input order."
                    + " JSON: 1 to phishnet.scans.batch.max-items items, 1,000 by default (more: 413, nothing stored); a malformed envelope is a 400 and stores"
                    + " nothing. application/x-ndjson: one item per line, results streamed one per line, then a"
                    + " summary line `{\"counts\", \"items\", \"complete\"}`; a bad or overlong line is that item's"
                    + " `invalid`.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ScanBatch.class)),
                    @Content(mediaType = MediaType.APPLICATION_NDJSON_VALUE,
                            schema = @Schema(implementation = BatchItem.class))}),
            responses = {
                    @ApiResponse(responseCode = "200", description = "Every item's result, in input order.", content = {
                            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = BatchResult.class)),
                            @Content(mediaType = MediaType.APPLICATION_NDJSON_VALUE,
                                    schema = @Schema(implementation = ItemResult.class))}),
                    @ApiResponse(responseCode = "413", description = "JSON: more items or bytes than a batch takes;"
                            + " nothing was stored.", content = @Content(mediaType = "application/problem+json",
                            schema = @Schema(ref = "#/components/schemas/Problem")))})
    @Requires(Rule.SCAN_WRITER)
    public Mono<ResponseEntity<?>> batch(Caller caller, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        ScanBatches.Context context = new ScanBatches.Context(caller, request.getPath().value(),
                RequestIdFilter.of(exchange));
        MediaType type = request.getHeaders().getContentType();
        if (type != null && MediaType.APPLICATION_NDJSON.isCompatibleWith(type)) {
            // What the reading leaves (item limit, refused budget) is read and discarded up to the JSON byte limit.
            ScanBatchReader.Body body = ScanBatchReader.Body.of(request.getBody(), batchProperties.maxBodySize().toBytes());
            Flux<Object> lines = batches.stream(context, batchReader.lines(body.content(), context), body.rest());
            return Mono.just(ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON).body(lines));
        }
        return DataBufferUtils.join(request.getBody(), Math.toIntExact(batchProperties.maxBodySize().toBytes()))
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    }
                    finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> batchReader.envelopeOffLoop(body, context))
                .flatMap(entries -> batches.ingest(context, entries))
                .map(result -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(result));
    }

    @GetMapping("/api/v1/scans/{id}")
    @Operation(summary = "Get a scan")
    @Requires(Rule.MEMBER)
    public Mono<ScanView> get(Caller caller, @PathVariable String id) {
        return scans.get(caller, id);
    }

    @GetMapping("/api/v1/scans")
    @Operation(summary = "List scans")
    @Requires(Rule.MEMBER)
    public Mono<?> list(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) Verdict verdict,
            @RequestParam(required = false) @DecimalMin("0.0") @DecimalMax("1.0") Double minScore,
            @RequestParam(required = false) @DecimalMin("0.0") @DecimalMax("1.0") Double maxScore,
            @RequestParam(required = false) @Size(max = 320) String sender,
            @RequestParam(required = false) @Size(max = InputBounds.ID_MAX) String userId,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) @Size(min = 1, max = ScanRequests.MESSAGE_ID_MAX) String messageId,
            @RequestParam(required = false) @Size(max = 1000) String cursor,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        ScanFilter filter = new ScanFilter(verdict, minScore, maxScore, sender, userId, from, to, messageId, null);
        return cursor != null ? scans.scansAfter(caller, filter, cursor, size)
                : scans.scans(caller, filter, new PageRequest(page, size), exchange.getRequest().getURI());
    }

    @GetMapping("/api/v1/emails")
    @Operation(summary = "List scanned emails")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<?> emails(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) @Size(max = 320) String sender,
            @RequestParam(required = false) @Size(max = 320) String recipient,
            @RequestParam(name = "q", required = false) @Size(max = 200) String text,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) @Pattern(regexp = "[0-9a-fA-F]{64}") String sha256,
            @RequestParam(required = false) @Size(max = 1000) String cursor,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        EmailFilter filter = new EmailFilter(sender, recipient, text, from, to, sha256);
        return cursor != null ? scans.emailsAfter(caller, filter, cursor, size)
                : scans.emails(caller, filter, new PageRequest(page, size), exchange.getRequest().getURI());
    }

    /**
     * The feedback on one scan, newest first (404 when the caller's tenant has no such scan); offset pages, or
     * keyset pages with {@code cursor}.
     */
    @GetMapping("/api/v1/scans/{id}/feedback")
    @Operation(summary = "List a scan's feedback")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<?> scanFeedback(Caller caller, ServerWebExchange exchange, @PathVariable String id,
            @RequestParam(required = false) @Size(max = 1000) String cursor,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        return scans.scanFeedback(caller, id, new FeedbackFilter(id, null, null, null), cursor,
                new PageRequest(page, size), exchange.getRequest().getURI());
    }

    /**
     * The tenant's feedback, newest first by creation time: of one analyst ({@code analystId}), of one scan
     * ({@code scanId}), in [{@code from}, {@code to}); offset pages, or keyset pages with {@code cursor}.
     */
    @GetMapping("/api/v1/feedback")
    @Operation(summary = "List the tenant's feedback")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<?> feedbackList(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) @Size(max = InputBounds.ID_MAX) String scanId,
            @RequestParam(required = false) @Size(max = InputBounds.SUBJECT_MAX) String analystId,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) @Size(max = 1000) String cursor,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        FeedbackFilter filter = new FeedbackFilter(scanId, analystId, from, to);
        return cursor != null ? scans.feedbackAfter(caller, filter, cursor, size)
                : scans.feedbackList(caller, filter, new PageRequest(page, size), exchange.getRequest().getURI());
    }

    @PostMapping("/api/v1/scans/{id}/feedback")
    @Operation(summary = "Give feedback on a scan")
    @Requires(Rule.ANALYST_OR_ADMIN)
    public Mono<FeedbackView> feedback(Caller caller, @PathVariable String id, @Valid @RequestBody FeedbackInput input) {
        return scans.feedback(caller, id, input);
    }
}
