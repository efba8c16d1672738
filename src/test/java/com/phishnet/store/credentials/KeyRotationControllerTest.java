package com.phishnet.store.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.jobs.Job;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobScope;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The key-rotation routes over a mocked service: 202 with the job to follow, and the JSON a job is shown as. */
@OfflineApplicationTest
class KeyRotationControllerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant STARTED = Instant.parse("2026-11-23T10:00:00Z");

    /** Every field of a job resource, as the routes have always shown it. */
    private static final String JOB_JSON = """
            {"id":"j-2","type":"KEY_ROTATION","scope":"SERVICE","state":"RUNNING","requestedBy":"ops-1",
             "requestedByTenant":"ops","tenantId":null,"startedAt":"2026-11-23T10:00:00Z",
             "updatedAt":"2026-11-23T10:00:05Z","completedAt":null,"processed":100,"changed":40,"cursor":"c-100",
             "error":null}""";

    @MockitoBean
    KeyRotationService keyRotation;

    @Autowired
    WebTestClient http;

    private String operator;

    @BeforeEach
    void token() {
        operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
    }

    @Test
    void startingARotationAnswers202WithTheJobAndItsLocation() {
        given(keyRotation.launch(any())).willReturn(Mono.just(job()));

        String body = http.post().uri("/api/v1/admin/key-rotations").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().location("/api/v1/admin/key-rotations/j-2")
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(JSON.readTree(body)).isEqualTo(JSON.readTree(JOB_JSON));
    }

    @Test
    void aJobIsShownWithItsProgressAndResumeCursor() {
        given(keyRotation.status(any(), eq("j-2"))).willReturn(Mono.just(job()));

        String body = http.get().uri("/api/v1/admin/key-rotations/j-2").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(JSON.readTree(body)).isEqualTo(JSON.readTree(JOB_JSON));
    }

    private static JobView job() {
        return JobView.of(new Job("j-2", JobType.KEY_ROTATION, JobScope.SERVICE, JobState.RUNNING, "ops-1", "ops", null,
                STARTED, STARTED.plusSeconds(5), null, 100, 40, "c-100", null));
    }
}
