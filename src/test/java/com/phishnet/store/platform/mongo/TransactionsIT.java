package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.ReactiveMongoTransactionManager;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.SimpleReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Write conflicts between "instances" on a real replica set: two {@link Transactions} (each with its own
 * per-tenant sequencing, as two service instances would have) append to one chain concurrently. Every
 * append must land exactly once, at the next position, with none lost and no position taken twice.
 */
@RequiresRealMongo
class TransactionsIT {

    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;
    private TransactionalOperator operator;

    @BeforeEach
    void setUp() {
        db = MongoTestDatabase.create();
        Mono.from(db.database().getCollection("chain").createIndex(Indexes.ascending("tenantId", "seq"),
                new IndexOptions().unique(true))).block();
        SimpleReactiveMongoDatabaseFactory factory = new SimpleReactiveMongoDatabaseFactory(db.client(), db.name());
        template = new ReactiveMongoTemplate(factory);
        StoreMongoProperties properties = new StoreMongoProperties(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(30), 10, 0, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), null);
        operator = TransactionalOperator.create(new ReactiveMongoTransactionManager(factory,
                MongoClientConfig.transactionOptions(properties)));
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void concurrentAppendsFromTwoInstancesNeverForkOrLoseTheChain() {
        List<Transactions> instances = List.of(new Transactions(operator), new Transactions(operator));

        Flux.range(0, 20)
                .flatMap(i -> instances.get(i % 2).run("acme", this::appendNext), 20)
                .blockLast(Duration.ofSeconds(60));

        List<Integer> seqs = template.find(Query.query(Criteria.where("tenantId").is("acme"))
                        .with(Sort.by("seq")), Document.class, "chain")
                .map(entry -> entry.getInteger("seq")).collectList().block();
        assertThat(seqs).containsExactlyElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
    }

    /** Reads the head and writes the next position, like an audit append. */
    private Mono<Document> appendNext() {
        return template.findOne(Query.query(Criteria.where("tenantId").is("acme")).with(Sort.by(Sort.Direction.DESC, "seq"))
                        .limit(1), Document.class, "chain")
                .map(head -> head.getInteger("seq") + 1)
                .defaultIfEmpty(1)
                .flatMap(next -> template.insert(new Document("tenantId", "acme").append("seq", next), "chain"));
    }
}
