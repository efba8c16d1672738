package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.phishnet.store.backup.BackupRequests.BackupView;
import com.phishnet.store.backup.BackupRequests.CreateBackup;
import com.phishnet.store.backup.BackupRequests.Started;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The backup routes over a mocked service: status codes, headers, problem details and what reaches the service. */
@OfflineApplicationTest
class BackupControllerTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
    private static final String SHA = "ab".repeat(32);

    @MockitoBean
    BackupService backups;

    @Autowired
    WebTestClient http;

    private String operator;

    @BeforeEach
    void token() {
        operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
    }

    @Test
    void startingABackupAnswers202WithItsLocationAndPassesTheRequestOn() {
        given(backups.launch(any(), any())).willReturn(Mono.just(new Started("b-1", "b-1", BackupState.RUNNING)));

        http.post().uri("/api/v1/admin/backups").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"collections\":[\"scan_results\"],\"tenantId\":\"acme\",\"note\":\"before upgrade\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().location("/api/v1/admin/backups/b-1")
                .expectBody().jsonPath("$.id").isEqualTo("b-1").jsonPath("$.jobId").isEqualTo("b-1");

        ArgumentCaptor<CreateBackup> request = ArgumentCaptor.forClass(CreateBackup.class);
        then(backups).should().launch(any(), request.capture());
        assertThat(request.getValue()).isEqualTo(new CreateBackup(List.of("scan_results"), "acme", "before upgrade"));
    }

    @Test
    void anEmptyObjectBacksUpEverything() {
        given(backups.launch(any(), any())).willReturn(Mono.just(new Started("b-1", "b-1", BackupState.RUNNING)));

        http.post().uri("/api/v1/admin/backups").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange()
                .expectStatus().isAccepted();

        then(backups).should().launch(any(), eq(CreateBackup.everything()));
    }

    @Test
    void badRequestsAreRefusedWithProblemsBeforeTheServiceIsAsked() {
        for (String body : List.of("{\"note\":\"" + "n".repeat(501) + "\"}", "{\"tenantId\":\"a b\"}",
                "{\"collections\":[]}", "{\"collections\":\"scan_results\"}", "{\"collections\":[{\"$ne\":1}]}", "", "null",
                "{\"collections\":[\"../etc\"]}", "{\"tenantId\":{\"$gt\":\"\"}}", "{")) {
            http.post().uri("/api/v1/admin/backups").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        then(backups).should(never()).launch(any(), any());
    }

    @Test
    void aSecondBackupWhileOneRunsIs409NamingTheRunningOne() {
        given(backups.launch(any(), any())).willReturn(Mono.error(new ApiException.Conflict(
                "Backup b-0 is still running; follow it instead of starting another.", BackupService.location("b-0"))));

        http.post().uri("/api/v1/admin/backups").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().location("/api/v1/admin/backups/b-0");
    }

    @Test
    void aDownloadSendsTheWholeArchiveWithItsLengthAndDigest() {
        byte[] archive = "tar bytes".getBytes(StandardCharsets.US_ASCII);
        given(backups.download(any(), eq("b-1"), eq(new ArchiveRange(null, null)))).willReturn(Mono.just(
                new BackupService.Download(0, archive.length, archive.length, SHA, false, body(archive))));

        byte[] received = http.get().uri("/api/v1/admin/backups/b-1/archive").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentLength(archive.length)
                .expectHeader().valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"" + SHA + "\"")
                .expectHeader().valueEquals("Repr-Digest", "sha-256=:q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=:")
                .expectHeader().contentType("application/x-tar")
                .expectBody(byte[].class).returnResult().getResponseBody();

        assertThat(received).isEqualTo(archive);
    }

    @Test
    void aRangedDownloadIs206WithItsContentRange() {
        byte[] rest = "bytes".getBytes(StandardCharsets.US_ASCII);
        given(backups.download(any(), eq("b-1"), eq(new ArchiveRange("bytes=4-", "\"" + SHA + "\"")))).willReturn(
                Mono.just(new BackupService.Download(4, 5, 9, SHA, true, body(rest))));

        http.get().uri("/api/v1/admin/backups/b-1/archive").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .header(HttpHeaders.RANGE, "bytes=4-").header(HttpHeaders.IF_RANGE, "\"" + SHA + "\"")
                .exchange()
                .expectStatus().isEqualTo(206)
                .expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 4-8/9")
                .expectHeader().contentLength(5)
                .expectBody(byte[].class).isEqualTo(rest);
    }

    @Test
    void aRangePastTheEndIs416WithTheArchiveSize() {
        given(backups.download(any(), eq("b-1"), any())).willReturn(Mono.error(
                new ApiException.RangeNotSatisfiable("The archive has 9 bytes", 9)));

        http.get().uri("/api/v1/admin/backups/b-1/archive").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .header(HttpHeaders.RANGE, "bytes=100-")
                .exchange()
                .expectStatus().isEqualTo(416)
                .expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes */9")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:range-not-satisfiable");
    }

    @Test
    void anUnknownBackupIs404() {
        given(backups.get("nope")).willReturn(Mono.error(new ApiException.NotFound("No backup nope.")));

        http.get().uri("/api/v1/admin/backups/nope").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aListPassesItsFilterAndRejectsAStateThatDoesNotExist() {
        given(backups.list(any(), any(), any())).willReturn(Mono.empty());

        http.get().uri("/api/v1/admin/backups?state=COMPLETED&from=2026-12-01T00:00:00Z").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isOk();
        then(backups).should().list(eq(new BackupRepository.Filter(BackupState.COMPLETED, Instant.parse("2026-12-01T00:00:00Z"), null)),
                any(), any());

        for (String bad : List.of("state=1", "state=completed", "state=DELETED", "from=yesterday", "size=0", "size=1001")) {
            http.get().uri("/api/v1/admin/backups?" + bad).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                    .exchange()
                    .expectStatus().isBadRequest();
        }
    }

    @Test
    void deletingAnswers204() {
        given(backups.delete(any(), eq("b-1"))).willReturn(Mono.empty());

        http.delete().uri("/api/v1/admin/backups/b-1").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isNoContent();
        then(backups).should().delete(any(), eq("b-1"));
    }

    @Test
    void aVerificationShowsItsOutcome() {
        var verification = new Backup.Verification(false, AT, 3, List.of("dump/phishnet/users.bson.gz: SHA-256 differs"));
        given(backups.verify(any(), eq("b-1"))).willReturn(Mono.just(new BackupView("b-1", BackupState.COMPLETED,
                BackupTrigger.MANUAL, "ops-1", AT, AT, null, null, null, "phishnet", new Backup.ClusterTime(1, 2),
                List.of(), List.of(), 3L, 100L, SHA, "/b", false, null, verification, null)));

        http.post().uri("/api/v1/admin/backups/b-1/verify").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.verification.passed").isEqualTo(false)
                .jsonPath("$.verification.problems[0]").isEqualTo("dump/phishnet/users.bson.gz: SHA-256 differs")
                .jsonPath("$.sha256").isEqualTo(SHA);
    }

    @Test
    void aDryRunRestoreAnswers200WithWhatItWouldWriteAndARealOne202WithItsJob() {
        given(backups.dryRunRestore(any(), eq("b-1"), eq("phishnet_restored"))).willReturn(Mono.just(new RestoreReport(
                "phishnet_restored", true, List.of(new RestoreReport.CollectionReport("users", 3, List.of("_id_"), true)),
                List.of(), 0)));
        given(backups.launchRestore(any(), eq("b-1"), eq("phishnet_restored"))).willReturn(Mono.just(
                com.phishnet.store.jobs.JobRequests.JobView.of(new com.phishnet.store.jobs.Job("j-9",
                        com.phishnet.store.jobs.JobType.RESTORE, com.phishnet.store.jobs.JobScope.SERVICE,
                        com.phishnet.store.jobs.JobState.RUNNING, "ops-1", "ops", null, AT, AT, null, 0, 0, "b-1", null))));

        http.post().uri("/api/v1/admin/backups/b-1/restore").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"targetDatabase\":\"phishnet_restored\",\"dryRun\":true}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.dryRun").isEqualTo(true).jsonPath("$.collections[0].name").isEqualTo("users");
        http.post().uri("/api/v1/admin/backups/b-1/restore").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"targetDatabase\":\"phishnet_restored\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().location("/api/v1/admin/backups/b-1/restores/j-9")
                .expectBody().jsonPath("$.type").isEqualTo("RESTORE");
    }

    @Test
    void aRestoreWithoutAUsableTargetIsRefusedBeforeTheServiceIsAsked() {
        for (String body : List.of("{}", "{\"targetDatabase\":\"\"}", "{\"targetDatabase\":\"a.b\"}",
                "{\"targetDatabase\":\"a/b\"}", "{\"targetDatabase\":\"" + "x".repeat(64) + "\"}",
                "{\"targetDatabase\":{\"$ne\":null}}", "{\"targetDatabase\":\"ok\",\"dryRun\":\"yes\"}")) {
            http.post().uri("/api/v1/admin/backups/b-1/restore").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange()
                    .expectStatus().isBadRequest();
        }
        then(backups).should(never()).launchRestore(any(), any(), any());
        then(backups).should(never()).dryRunRestore(any(), any(), any());
    }

    private static Flux<org.springframework.core.io.buffer.DataBuffer> body(byte[] bytes) {
        return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes));
    }
}
