package com.phishnet.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.platform.web.PageResponse;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The jobs routes over a mocked service: who gets in, what reaches the service, and the problems. */
@OfflineApplicationTest
class JobControllerTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    @MockitoBean
    JobService jobs;

    @Autowired
    WebTestClient http;

    @Test
    void anAdminAndAnOperatorListJobsWithTheirFiltersAndAnAnalystIsRefused() {
        given(jobs.list(any(), any(), any(), any(), any())).willReturn(Mono.just(
                PageResponse.of(List.of(job(JobState.RUNNING)), new com.phishnet.store.platform.web.PageRequest(1, 50), 1,
                        java.net.URI.create("/api/v1/admin/jobs"))));
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
        String operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
        String analyst = DevTokens.mint(http, "an-1", "acme", List.of("ANALYST"));

        for (String token : List.of(admin, operator)) {
            http.get().uri("/api/v1/admin/jobs?type=BACKUP&state=RUNNING").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.items[0].id").isEqualTo("j-1").jsonPath("$.total").isEqualTo(1);
        }
        ArgumentCaptor<Caller> callers = ArgumentCaptor.forClass(Caller.class);
        then(jobs).should(org.mockito.Mockito.times(2)).list(callers.capture(), eq(JobType.BACKUP), eq(JobState.RUNNING),
                any(), any());
        assertThat(callers.getAllValues()).extracting(Caller::subject).containsExactly("admin-1", "ops-1");

        http.get().uri("/api/v1/admin/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst)
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void aFilterThatIsNoTypeOrStateIsABadRequest() {
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
        for (String bad : List.of("type=1", "type=backup", "type=DUMP", "state=CANCELLED", "state=%7B%22%24ne%22%3A1%7D", "size=0")) {
            http.get().uri("/api/v1/admin/jobs?" + bad).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        then(jobs).should(never()).list(any(), any(), any(), any(), any());
    }

    @Test
    void cancellingAnswersTheCancelledJobAFinishedOneIs409AndAnUnseenOne404() {
        String operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
        given(jobs.cancel(any(), eq("j-1"))).willReturn(Mono.just(job(JobState.FAILED)));
        given(jobs.cancel(any(), eq("j-2"))).willReturn(Mono.error(new ApiException.Conflict("Job j-2 is COMPLETED")));
        given(jobs.cancel(any(), eq("j-3"))).willReturn(Mono.error(new ApiException.NotFound("No job j-3.")));

        http.post().uri("/api/v1/admin/jobs/j-1/cancel").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("FAILED").jsonPath("$.error").isEqualTo("cancelled by ops-1");
        http.post().uri("/api/v1/admin/jobs/j-2/cancel").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isEqualTo(409);
        http.post().uri("/api/v1/admin/jobs/j-3/cancel").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isNotFound();
    }

    private static JobView job(JobState state) {
        return JobView.of(new Job("j-1", JobType.BACKUP, JobScope.SERVICE, state, "ops-1", "ops", null, AT, AT,
                state == JobState.RUNNING ? null : AT, 10, 10, "users", state == JobState.FAILED ? "cancelled by ops-1" : null));
    }
}
