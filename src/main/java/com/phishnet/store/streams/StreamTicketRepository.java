package com.phishnet.store.streams;

import static org.springframework.data.mongodb.core.query.Criteria.where;

import java.time.Instant;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reactive access to {@code stream_tickets}. */
@Repository
class StreamTicketRepository {

    private final ReactiveMongoTemplate mongo;

    StreamTicketRepository(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<StreamTicket> insert(StreamTicket ticket) {
        return mongo.insert(ticket);
    }

    /**
     * Finds and deletes the ticket in one atomic command, so of two requests presenting it (on any instances)
     * only one gets it back. A ticket for another stream, or expired but not yet removed by the TTL monitor,
     * matches nothing and stays as it is.
     */
    Mono<StreamTicket> redeem(String hash, String stream, Instant now) {
        return mongo.findAndRemove(redeemable(hash, stream, now), StreamTicket.class);
    }

    static Query redeemable(String hash, String stream, Instant now) {
        return Query.query(where(StreamTicketFields.ID).is(hash)
                .and(StreamTicketFields.STREAM).is(stream)
                .and(StreamTicketFields.EXPIRES_AT).gt(now));
    }
}
