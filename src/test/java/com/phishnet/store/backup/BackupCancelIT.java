package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.mongodb.reactivestreams.client.MongoClient;
import com.phishnet.store.support.AppOnRealMongo;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Cancelling a backup through the jobs route, made deterministic: the store holds every archive at its door until
 * the test has cancelled, so the cancel always lands while the backup runs. The backup ends FAILED, never COMPLETED,
 * its archive is not kept, and a tenant's ADMIN can neither see nor cancel the service's job.
 */
@RequiresRealMongo
@ActiveProfiles("local")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT60S")
@Import(BackupCancelIT.HeldStore.class)
class BackupCancelIT {

    private static final String DATABASE = RealMongo.newDatabaseName();
    private static final Path BACKUPS = Path.of("target/test-data/backups-" + DATABASE);
    private static final CompletableFuture<Void> RELEASE = new CompletableFuture<>();

    @Autowired
    WebTestClient http;
    @Autowired
    MongoClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AppOnRealMongo.register(registry, DATABASE);
        registry.add("phishnet.backup.directory", BACKUPS::toString);
        registry.add("phishnet.backup.staging", () -> BACKUPS.resolveSibling("staging-" + DATABASE).toString());
    }

    @AfterAll
    static void dropDatabase(@Autowired MongoClient client) {
        RELEASE.complete(null);
        AppOnRealMongo.drop(client, DATABASE);
    }

    /** The filesystem store, except that nothing is stored before the test says so. */
    @TestConfiguration
    static class HeldStore {
        @Bean
        @Primary
        BackupStore heldStore(BackupProperties properties, Scheduler backupScheduler) {
            BackupStore files = new FileSystemBackupStore(properties.directory(), backupScheduler);
            return new BackupStore() {
                @Override
                public Mono<Stored> put(String name, Path archive) {
                    return Mono.fromFuture(RELEASE).then(files.put(name, archive));
                }

                @Override
                public Mono<Long> size(String name) {
                    return files.size(name);
                }

                @Override
                public Flux<DataBuffer> read(String name, long offset, long length) {
                    return files.read(name, offset, length);
                }

                @Override
                public Mono<Void> delete(String name) {
                    return files.delete(name);
                }
            };
        }
    }

    @Test
    void aCancelledBackupEndsFailedWithoutAnArchiveAndATenantAdminCannotTouchItsJob() {
        Mono.from(client.getDatabase(DATABASE).getCollection("cancel_fixture")
                .insertOne(new Document("_id", 1).append("tenantId", "acme"))).block();
        String operator = DevTokens.mint(http, "ops-1", "ops", List.of(), "service:operator");
        String admin = DevTokens.mint(http, "admin-1", "acme", List.of("ADMIN"));
        String id = http.post().uri("/api/v1/admin/backups").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"collections\":[\"cancel_fixture\"]}")
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        http.get().uri("/api/v1/admin/jobs/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNotFound();
        http.post().uri("/api/v1/admin/jobs/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNotFound();
        http.post().uri("/api/v1/admin/jobs/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("FAILED").jsonPath("$.error").isEqualTo("cancelled by ops-1");
        RELEASE.complete(null);

        // BACKUP_FAILED is audited after the archive is removed: once it is there, everything is settled.
        awaitAudited(operator, id, "BACKUP_FAILED");
        Map<?, ?> backup = http.get().uri("/api/v1/admin/backups/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(backup.get("state")).isEqualTo("FAILED");
        assertThat(backup.get("error").toString()).contains("stopped running", "cancelled");
        assertThat(BACKUPS.resolve(id + ".tar")).doesNotExist();
        http.post().uri("/api/v1/admin/jobs/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .exchange().expectStatus().isEqualTo(409);
    }

    private void awaitAudited(String operator, String backupId, String eventType) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Map<?, ?> page = http.get().uri("/api/v1/admin/audit?eventType={type}&targetId={id}", eventType, backupId)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.mint(http, "ops-1", "ops", List.of("ADMIN")))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            if (!((List<?>) page.get("items")).isEmpty()) {
                return;
            }
            try {
                Thread.sleep(200);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
        throw new AssertionError(eventType + " of backup " + backupId + " not audited within 60 s");
    }
}
