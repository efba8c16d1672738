package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Instant;

import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

/** The BSON of the one command that redeems a ticket, captured where the repository hands it to the template. */
class StreamTicketQueriesTest {

    private final ReactiveMongoTemplate mongo = mock(ReactiveMongoTemplate.class);
    private final StreamTicketRepository repository = new StreamTicketRepository(mongo);
    private final ArgumentCaptor<Query> query = ArgumentCaptor.forClass(Query.class);
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void redeemingFindsAndDeletesInOneCommandOnlyAnUnexpiredTicketOfThatStream() {
        given(mongo.findAndRemove(any(Query.class), eq(StreamTicket.class))).willReturn(Mono.empty());

        StepVerifier.create(repository.redeem("ab".repeat(32), "/api/v1/streams/scans", now)).verifyComplete();
        verify(mongo).findAndRemove(query.capture(), eq(StreamTicket.class));
        assertThat(RenderedBson.filter(query.getValue(), StreamTicket.class)).isEqualTo("{\"_id\": \"" + "ab".repeat(32)
                + "\", \"stream\": \"/api/v1/streams/scans\", \"expiresAt\": {\"$gt\": {\"$date\": \"2026-11-23T10:00:00Z\"}}}");
    }

    @Test
    void theRedeemedTicketIsWhatTheCommandReturned() {
        StreamTicket stored = new StreamTicket("ab".repeat(32), "u-1", "acme", java.util.List.of(), java.util.List.of(),
                "/api/v1/streams/scans", now, now.plusSeconds(60), now.plusSeconds(600));
        given(mongo.findAndRemove(any(Query.class), eq(StreamTicket.class))).willReturn(Mono.just(stored));

        StepVerifier.create(repository.redeem("ab".repeat(32), "/api/v1/streams/scans", now)).expectNext(stored)
                .verifyComplete();
    }
}
