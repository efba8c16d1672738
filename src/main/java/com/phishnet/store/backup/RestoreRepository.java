package com.phishnet.store.backup;

import java.time.Instant;
import java.util.Date;

import com.phishnet.store.jobs.JobFields;
import org.bson.Document;

import java.util.List;

import com.mongodb.WriteConcern;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A restore's access to MongoDB: a target database chosen by name, so through the service's client (and its
 * majority, journaled write concern) rather than the template, which is bound to the service's own database.
 */
@Repository
class RestoreRepository {

    private final MongoClient client;
    private final ReactiveMongoDatabaseFactory databases;

    RestoreRepository(MongoClient client, ReactiveMongoDatabaseFactory databases) {
        this.client = client;
        this.databases = databases;
    }

    /** The database the service itself reads and writes. */
    Mono<String> serviceDatabase() {
        return databases.getMongoDatabase().map(MongoDatabase::getName);
    }

    /** Every collection of a database, the server's own {@code system.*} ones included. */
    Mono<List<String>> collectionNames(String database) {
        return Flux.from(client.getDatabase(database).listCollectionNames()).sort().collectList();
    }

    /** Runs a {@code create} or {@code createIndexes} with the client's write concern, which runCommand does not add. */
    Mono<Void> run(String database, BsonDocument command) {
        MongoDatabase target = client.getDatabase(database);
        BsonDocument sent = command;
        WriteConcern writeConcern = target.getWriteConcern();
        if (!writeConcern.isServerDefault()) {
            sent = command.clone().append("writeConcern", writeConcern.asDocument());
        }
        return Mono.from(target.runCommand(sent)).then();
    }

    /**
     * Inserts documents as they were dumped, in order, stopping at the first failure.
     *
     * @return how many were inserted: all of them
     */
    Mono<Integer> insert(String database, String collection, List<RawBsonDocument> documents, boolean bypassValidation) {
        return Mono.from(client.getDatabase(database).getCollection(collection, RawBsonDocument.class)
                        .insertMany(documents, new InsertManyOptions().ordered(true)
                                .bypassDocumentValidation(bypassValidation)))
                .thenReturn(documents.size());
    }

    /**
     * Marks the jobs that were RUNNING when the backup was taken as FAILED in the restored database: nothing runs
     * them there, and a RUNNING service job would hold its type's unique index (409 on the next backup) until it
     * looked stale.
     */
    Mono<Long> failRunningJobs(String database, Instant now) {
        return Mono.from(client.getDatabase(database).getCollection(JobFields.COLLECTION)
                        .updateMany(runningJobs(), interruptedByTheBackup(now)))
                .map(result -> result.getModifiedCount());
    }

    static Document runningJobs() {
        return new Document(JobFields.STATE, "RUNNING");
    }

    static Document interruptedByTheBackup(Instant now) {
        Date at = Date.from(now);
        return new Document("$set", new Document(JobFields.STATE, "FAILED")
                .append(JobFields.ERROR, "running when the backup was taken; restored as failed")
                .append(JobFields.COMPLETED_AT, at).append(JobFields.UPDATED_AT, at));
    }
}
