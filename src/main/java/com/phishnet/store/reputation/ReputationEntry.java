package com.phishnet.store.reputation;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/** A threat-feed verdict about a sender, domain, URL or IP, valid until {@code expiresAt}. */
@Document(ReputationFields.COLLECTION)
public record ReputationEntry(
        @Id String id,
        @Field(ReputationFields.SUBJECT_TYPE) SubjectType subjectType,
        @Field(ReputationFields.SUBJECT) String subject,
        @Field(ReputationFields.VERDICT) ReputationVerdict verdict,
        @Field(ReputationFields.SCORE) double score,
        @Field(ReputationFields.SOURCE) String source,
        @Field(ReputationFields.FETCHED_AT) Instant fetchedAt,
        @Field(ReputationFields.EXPIRES_AT) Instant expiresAt) {

    /** Document id: one entry per subject, so a write replaces the previous verdict. */
    public static String idOf(SubjectType type, String normalizedSubject) {
        return type.name() + ":" + normalizedSubject;
    }

    /** Compact cache form: the fields joined by a separator that cannot occur in them (subjects are not cached). */
    String toCacheValue() {
        return verdict + "\u001f" + score + "\u001f" + source + "\u001f" + fetchedAt.toEpochMilli() + "\u001f"
                + expiresAt.toEpochMilli();
    }

    static ReputationEntry fromCacheValue(SubjectType type, String subject, String value) {
        String[] parts = value.split("\u001f", -1);
        return new ReputationEntry(idOf(type, subject), type, subject, ReputationVerdict.valueOf(parts[0]),
                Double.parseDouble(parts[1]), parts[2], Instant.ofEpochMilli(Long.parseLong(parts[3])),
                Instant.ofEpochMilli(Long.parseLong(parts[4])));
    }
}
