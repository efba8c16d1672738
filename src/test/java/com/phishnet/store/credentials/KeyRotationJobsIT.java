package com.phishnet.store.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.jobs.Job;
import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.jobs.JobFields;
import com.phishnet.store.jobs.JobService;
import com.phishnet.store.jobs.JobScope;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Key-rotation jobs on a real replica set: one at a time across concurrent starts (the partial unique index,
 * not memory), the 409 names the running job, a job left behind is taken over, and only operators see jobs.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class KeyRotationJobsIT {

    private static final String DATABASE = RealMongo.newDatabaseName();

    private final Caller operator = new Caller("ops-1", "ops", EnumSet.noneOf(Role.class),
            Set.of(Scope.SERVICE_OPERATOR.value()), "127.0.0.1", "it", "r-1");

    @Autowired
    WebTestClient http;
    @Autowired
    ReactiveMongoTemplate mongo;
    @Autowired
    KeyRotationService keyRotation;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        AppOnRealMongo.drop(client, DATABASE);
    }

    /** Each test starts with no rotation running. */
    @AfterEach
    void finishRunningJobs() {
        mongo.updateMulti(Query.query(Criteria.where(JobFields.STATE).is("RUNNING")),
                new Update().set(JobFields.STATE, "COMPLETED"), Job.class).block();
    }

    @Test
    void twoConcurrentStartsRecordOneRunningJobAndRefuseTheOtherWith409() {
        // start() only records the job (launch() also runs it), so the first cannot finish early.
        // Operators of two tenants: this instance serialises transactions per tenant, so only two tenants
        // make the two transactions meet in MongoDB, where the unique index has to decide.
        Caller otherOperator = new Caller("ops-2", "ops-b", operator.roles(), operator.scopes(), "127.0.0.1", "it", "r-2");
        List<Optional<JobView>> outcomes = Flux.just(operator, otherOperator)
                .flatMap(caller -> keyRotation.start(caller).map(Optional::of)
                        .onErrorResume(ApiException.Conflict.class, conflict -> Mono.just(Optional.empty()))
                        .subscribeOn(Schedulers.parallel()), 2)
                .collectList().block();

        assertThat(outcomes).filteredOn(Optional::isPresent).hasSize(1);
        assertThat(outcomes).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(mongo.count(Query.query(Criteria.where(JobFields.TYPE).is("KEY_ROTATION")
                .and(JobFields.STATE).is("RUNNING")), Job.class).block()).isEqualTo(1);
    }

    @Test
    void aStartWhileOneRunsIs409WithTheRunningJobsLocation() {
        JobView running = keyRotation.start(operator).block();
        String token = DevTokens.mint(http, "ops-2", "ops", List.of(), Scope.SERVICE_OPERATOR.value());

        http.post().uri("/api/v1/admin/key-rotations").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().location("/api/v1/admin/key-rotations/" + running.id())
                .expectBody().jsonPath("$.type").isEqualTo("urn:phishnet:problem:conflict");
    }

    @Test
    void aJobLeftBehindByAStoppedInstanceIsTakenOverByTheNextStart() {
        Instant longAgo = Instant.now().minus(JobService.STALE_AFTER).minus(Duration.ofMinutes(1));
        mongo.insert(new Job("left-behind", JobType.KEY_ROTATION, JobScope.SERVICE, JobState.RUNNING,
                "ops-0", "ops", null, longAgo, longAgo, null, 100, 100, "cred-99", null)).block();

        JobView fresh = keyRotation.start(operator).block();

        assertThat(fresh.id()).isNotEqualTo("left-behind");
        assertThat(mongo.findById("left-behind", Job.class).block().state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void anOperatorFollowsTheJobAndAnUnknownIdIs404() {
        JobView running = keyRotation.start(operator).block();
        String token = DevTokens.mint(http, "ops-2", "elsewhere", List.of(), Scope.SERVICE_OPERATOR.value());

        http.get().uri("/api/v1/admin/key-rotations/" + running.id()).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(running.id());
        http.get().uri("/api/v1/admin/key-rotations/nope").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void anotherTenantsAdminGetsTheSameAnswerForARealJobAndAnUnknownId() {
        JobView running = keyRotation.start(operator).block();
        String admin = DevTokens.mint(http, "admin-1", "globex", List.of("ADMIN"));

        Map<?, ?> real = http.get().uri("/api/v1/admin/key-rotations/" + running.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isForbidden().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> unknown = http.get().uri("/api/v1/admin/key-rotations/nope")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isForbidden().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(real.get("detail")).isEqualTo(unknown.get("detail"));
    }

    @Test
    void aTenantAdminCannotStartARotation() {
        String admin = DevTokens.mint(http, "admin-1", "globex", List.of("ADMIN"));

        http.post().uri("/api/v1/admin/key-rotations").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isForbidden();

        assertThat(mongo.count(Query.query(Criteria.where(JobFields.REQUESTED_BY).is("admin-1")), Job.class).block())
                .isZero();
    }
}
