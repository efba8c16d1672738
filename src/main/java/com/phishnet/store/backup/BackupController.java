package com.phishnet.store.backup;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import com.phishnet.store.backup.BackupRequests.BackupView;
import com.phishnet.store.backup.BackupRequests.CreateBackup;
import com.phishnet.store.backup.BackupRequests.RestoreRequest;
import com.phishnet.store.backup.BackupRequests.Started;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.platform.web.SuccessStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Backups of the service database. Service-wide work: a backup holds every tenant's records (a tenant export
 * still reads the whole database's collections), so every route needs the service-operator scope, as key rotation
 * does; a tenant ADMIN alone is refused.
 */
@RestController
@RequestMapping("/api/v1/admin/backups")
public class BackupController {

    static final String TAR_VALUE = "application/x-tar";
    static final MediaType TAR = MediaType.parseMediaType(TAR_VALUE);

    private final BackupService backups;

    public BackupController(BackupService backups) {
        this.backups = backups;
    }

    /**
     * 202 with the backup (and job) to follow; 409 with the running one's Location while another runs. The body is
     * required, as on every route that takes one: {@code {}} backs up every data collection.
     */
    @PostMapping
    @Operation(summary = "Start a backup")
    @SuccessStatus(value = HttpStatus.ACCEPTED, location = true)
    @Requires(Rule.OPERATOR)
    public Mono<ResponseEntity<Started>> start(Caller caller, @Valid @RequestBody CreateBackup request) {
        return backups.launch(caller, request)
                .map(started -> ResponseEntity.accepted().location(BackupService.location(started.id())).body(started));
    }

    @GetMapping
    @Operation(summary = "List backups")
    @Requires(Rule.OPERATOR)
    public Mono<PageResponse<BackupView>> list(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) BackupState state, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        return backups.list(new BackupRepository.Filter(state, from, to), new PageRequest(page, size),
                exchange.getRequest().getURI());
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a backup")
    @Requires(Rule.OPERATOR)
    public Mono<BackupView> get(Caller caller, @PathVariable String id) {
        return backups.get(id);
    }

    /**
     * The stored archive as it is (encrypted if a backup key sealed it), streamed; {@code Range} resumes a broken
     * download. The SHA-256 of the whole archive comes as its entity tag and as {@code Repr-Digest} (RFC 9530).
     */
    @GetMapping("/{id}/archive")
    @Operation(summary = "Download a backup archive")
    @SuccessStatus(value = HttpStatus.OK, binary = TAR_VALUE, ranges = true)
    @Requires(Rule.OPERATOR)
    public Mono<ResponseEntity<Flux<DataBuffer>>> archive(Caller caller, @PathVariable String id,
            @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
            @RequestHeader(name = HttpHeaders.IF_RANGE, required = false) String ifRange) {
        return backups.download(caller, id, new ArchiveRange(range, ifRange)).map(download -> {
            var response = ResponseEntity.status(download.partial() ? HttpStatus.PARTIAL_CONTENT : HttpStatus.OK)
                    .contentType(TAR)
                    .contentLength(download.length())
                    .eTag("\"" + download.sha256() + "\"")
                    .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                    .header("Repr-Digest", "sha-256=:" + Base64.getEncoder()
                            .encodeToString(HexFormat.of().parseHex(download.sha256())) + ":")
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                            .filename("phishnet-backup-" + id + ".tar").build().toString());
            if (download.partial()) {
                response.header(HttpHeaders.CONTENT_RANGE, "bytes " + download.offset() + "-"
                        + (download.offset() + download.length() - 1) + "/" + download.total());
            }
            return response.body(download.body());
        });
    }

    /** Re-reads the stored archive now; the backup with the outcome (which is also kept on it). */
    @PostMapping("/{id}/verify")
    @Operation(summary = "Verify a backup archive")
    @Requires(Rule.OPERATOR)
    public Mono<BackupView> verify(Caller caller, @PathVariable String id) {
        return backups.verify(caller, id);
    }

    /**
     * {@code dryRun}: 200 with what would be written and any conflict, nothing written. Otherwise 202 with the
     * RESTORE job to follow (409 when the target is not new and empty, or a key is missing, or a restore runs).
     */
    @PostMapping("/{id}/restore")
    @Operation(summary = "Restore a backup (or dry-run it)")
    @SuccessStatus(value = HttpStatus.ACCEPTED, location = true,
            alsoOk = "Dry run: what would be written and any conflict; nothing written.")
    @Requires(Rule.OPERATOR)
    public Mono<ResponseEntity<Object>> restore(Caller caller, @PathVariable String id,
            @Valid @RequestBody RestoreRequest request) {
        if (request.isDryRun()) {
            return backups.dryRunRestore(caller, id, request.targetDatabase())
                    .map(report -> ResponseEntity.ok().body(report));
        }
        return backups.launchRestore(caller, id, request.targetDatabase())
                .map(job -> ResponseEntity.accepted().location(BackupService.restoreLocation(id, job.id())).body(job));
    }

    @GetMapping("/{id}/restores/{jobId}")
    @Operation(summary = "Get a restore job")
    @Requires(Rule.OPERATOR)
    public Mono<JobView> restoreStatus(Caller caller, @PathVariable String id, @PathVariable String jobId) {
        return backups.restoreStatus(id, jobId, caller);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a backup")
    @SuccessStatus(HttpStatus.NO_CONTENT)
    @Requires(Rule.OPERATOR)
    public Mono<ResponseEntity<Void>> delete(Caller caller, @PathVariable String id) {
        return backups.delete(caller, id).thenReturn(ResponseEntity.noContent().build());
    }
}
