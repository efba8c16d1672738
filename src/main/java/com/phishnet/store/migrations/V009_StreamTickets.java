package com.phishnet.store.migrations;

import static com.phishnet.store.migrations.JsonSchema.arrayOf;
import static com.phishnet.store.migrations.JsonSchema.date;
import static com.phishnet.store.migrations.JsonSchema.enumOf;
import static com.phishnet.store.migrations.JsonSchema.object;
import static com.phishnet.store.migrations.JsonSchema.properties;
import static com.phishnet.store.migrations.JsonSchema.string;
import static com.phishnet.store.migrations.JsonSchema.validator;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ValidationAction;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.streams.StreamTicketFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code stream_tickets} collection: single-use tickets that open one stream for a browser. Its validator
 * bounds every field by what the ticket API and the token rules can produce, and a TTL index removes each ticket
 * once it has expired (redeeming checks the expiry itself; the monitor runs only once a minute).
 */
@ChangeUnit(id = "V009-stream-tickets", order = "0009", author = "phishnet-store", transactional = false)
public class V009_StreamTickets {

    public static final String EXPIRY_INDEX = "stream_tickets_expiry_ttl";

    @Execution
    public void apply(MongoDatabase database) {
        List<String> existing = Flux.from(database.listCollectionNames()).collectList().block();
        if (!existing.contains(StreamTicketFields.COLLECTION)) {
            Mono.from(database.createCollection(StreamTicketFields.COLLECTION, new CreateCollectionOptions()
                    .validationOptions(new ValidationOptions().validator(streamTickets())
                            .validationLevel(ValidationLevel.STRICT).validationAction(ValidationAction.ERROR)))).block();
        }
        Flux.from(database.getCollection(StreamTicketFields.COLLECTION).createIndexes(indexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // An empty collection left by a failed run is reused by the next one.
    }

    static Document streamTickets() {
        return validator(object(
                List.of(StreamTicketFields.ID, StreamTicketFields.SUBJECT, StreamTicketFields.TENANT_ID,
                        StreamTicketFields.ROLES, StreamTicketFields.SCOPES, StreamTicketFields.STREAM,
                        StreamTicketFields.CREATED_AT, StreamTicketFields.EXPIRES_AT,
                        StreamTicketFields.TOKEN_EXPIRES_AT),
                properties(
                        StreamTicketFields.ID, matching(string(StreamTicketFields.HASH_LENGTH,
                                StreamTicketFields.HASH_LENGTH), "[0-9a-f]{" + StreamTicketFields.HASH_LENGTH + "}"),
                        StreamTicketFields.SUBJECT, string(1, InputBounds.SUBJECT_MAX),
                        StreamTicketFields.TENANT_ID, matching(string(1, InputBounds.TENANT_ID_MAX),
                                InputBounds.TENANT_ID_PATTERN),
                        StreamTicketFields.ROLES, arrayOf(enumOf(StreamTicketFields.ROLE_NAMES),
                                StreamTicketFields.ROLE_NAMES.length),
                        StreamTicketFields.SCOPES, arrayOf(enumOf(StreamTicketFields.SCOPE_VALUES),
                                StreamTicketFields.SCOPE_VALUES.length),
                        StreamTicketFields.STREAM, matching(string(1, StreamTicketFields.STREAM_MAX),
                                StreamTicketFields.STREAM_PREFIX + "[A-Za-z0-9_/-]+"),
                        StreamTicketFields.CREATED_AT, date(),
                        StreamTicketFields.EXPIRES_AT, date(),
                        StreamTicketFields.TOKEN_EXPIRES_AT, date())));
    }

    static List<IndexModel> indexes() {
        return List.of(new IndexModel(Indexes.ascending(StreamTicketFields.EXPIRES_AT),
                new IndexOptions().name(EXPIRY_INDEX).expireAfter(0L, TimeUnit.SECONDS)));
    }

    /** The whole value must match: \z, not $, which PCRE and Java also let match before a final newline. */
    private static Document matching(Document string, String pattern) {
        return string.append("pattern", "^" + pattern + "\\z");
    }
}
