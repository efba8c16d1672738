package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.phishnet.store.migrations.V009_StreamTickets;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.streams.StreamTicketRequests.IssuedTicket;
import com.phishnet.store.streams.StreamTicketRequests.StreamTicketProperties;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.MutableClock;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.security.oauth2.jwt.Jwt;

/** Tickets on a real replica set: stored only as a hash, redeemed at most once even by racing requests. */
@RequiresRealMongo
class StreamTicketsIT {

    private static final String SCANS = "/api/v1/streams/scans";

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final Caller caller = new Caller("u-1", "acme", Set.of(Role.USER), Set.of("scans:write"), "10.0.0.1",
            "test", "req-1");

    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;
    private StreamTicketService service;

    @BeforeEach
    void migrate() {
        db = MongoTestDatabase.create();
        template = MigratedTemplate.on(db);
        service = new StreamTicketService(new StreamTicketRepository(template),
                new StreamTicketProperties(Duration.ofSeconds(60)), new SecureRandom(), clock);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @RepeatedTest(20)
    void twoConcurrentRedeemsOfOneTicketOpenOneStream() {
        IssuedTicket issued = issue("scans");

        // Both commands are in flight at once, on separate threads and connections of the pool.
        List<Jwt> opened = Flux.merge(
                        Mono.defer(() -> service.redeem(issued.ticket(), SCANS)).subscribeOn(Schedulers.parallel()),
                        Mono.defer(() -> service.redeem(issued.ticket(), SCANS)).subscribeOn(Schedulers.parallel()))
                .collectList().block(Duration.ofSeconds(10));

        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).getSubject()).isEqualTo("u-1");
        assertThat(storedTickets()).isEmpty();
    }

    @Test
    void aRedeemedTicketIsGoneAndASecondUseOpensNothing() {
        IssuedTicket issued = issue("scans");

        assertThat(service.redeem(issued.ticket(), SCANS).block()).isNotNull();
        assertThat(service.redeem(issued.ticket(), SCANS).blockOptional()).isEmpty();
    }

    @Test
    void aTicketPresentedOnAnotherStreamOpensNothingAndStaysUsableOnItsOwn() {
        IssuedTicket issued = issue("threats");

        assertThat(service.redeem(issued.ticket(), SCANS).blockOptional()).isEmpty();
        assertThat(service.redeem(issued.ticket(), "/api/v1/streams/threats").block().getClaimAsString("tenant"))
                .isEqualTo("acme");
    }

    @Test
    void anExpiredTicketOpensNothingEvenBeforeTheTtlMonitorRemovesIt() {
        IssuedTicket issued = issue("scans");
        clock.advance(Duration.ofSeconds(60));

        assertThat(service.redeem(issued.ticket(), SCANS).blockOptional()).isEmpty();
    }

    @Test
    void onlyTheHashIsStoredAndTheServersValidatorAcceptsWhatTheServiceWrites() {
        IssuedTicket issued = issue("jobs/0b8f3c1e-6a57-4f6e-9d51-3c2a1b0e9f47");

        List<Document> stored = storedTickets();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).toJson()).doesNotContain(issued.ticket());
        assertThat(stored.get(0).getString("_id")).isEqualTo(StreamTicketService.hash(issued.ticket()));
        assertThat(stored.get(0).getList("scopes", String.class)).containsExactly("scans:write");
    }

    @Test
    void theTtlIndexRemovesTicketsAtTheirExpiry() {
        Map<String, Document> indexes = Flux.from(db.database().getCollection(StreamTicketFields.COLLECTION).listIndexes())
                .collectList().block().stream()
                .collect(Collectors.toMap(index -> index.getString("name"), Function.identity()));

        Document expiry = indexes.get(V009_StreamTickets.EXPIRY_INDEX);
        assertThat(expiry).isNotNull();
        assertThat(expiry.get("key", Document.class)).isEqualTo(new Document(StreamTicketFields.EXPIRES_AT, 1));
        assertThat(expiry.get("expireAfterSeconds")).isIn(0, 0L);
    }

    private IssuedTicket issue(String stream) {
        return service.issue(caller, stream, clock.instant().plusSeconds(3600)).block();
    }

    private List<Document> storedTickets() {
        return Flux.from(db.database().getCollection(StreamTicketFields.COLLECTION).find()).collectList().block();
    }
}
