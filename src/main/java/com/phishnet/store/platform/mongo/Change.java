package com.phishnet.store.platform.mongo;

import java.time.Instant;

import com.mongodb.client.model.changestream.ChangeStreamDocument;
import org.bson.BsonDocument;
import org.bson.Document;

/**
 * One change event as features read it: its resume token, what happened to which document, the document as
 * stored after the change (for an update: as looked up when the event was read), and when it was committed.
 *
 * @param updatedFields the fields an update set (empty for other operations)
 * @param committedAt   the event's wall-clock time where the server records it (6.0+), else its cluster time
 */
public record Change(ResumeToken token, String operationType, String collection, Document fullDocument,
        BsonDocument updatedFields, Instant committedAt) {

    public static Change of(ChangeStreamDocument<Document> event) {
        BsonDocument updated = event.getUpdateDescription() == null || event.getUpdateDescription().getUpdatedFields() == null
                ? new BsonDocument() : event.getUpdateDescription().getUpdatedFields();
        Instant committedAt = event.getWallTime() != null ? Instant.ofEpochMilli(event.getWallTime().getValue())
                : event.getClusterTime() != null ? Instant.ofEpochSecond(event.getClusterTime().getTime()) : null;
        return new Change(ResumeToken.of(event.getResumeToken()), event.getOperationTypeString(),
                event.getNamespace() == null ? null : event.getNamespace().getCollectionName(), event.getFullDocument(),
                updated, committedAt);
    }
}
