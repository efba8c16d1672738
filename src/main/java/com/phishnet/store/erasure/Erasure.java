package com.phishnet.store.erasure;

import java.time.Instant;

import com.phishnet.store.platform.crypto.Sealed;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/** An entry of the erasure register: who was erased, when, by whom; no personal data once completed. */
@Document(ErasureFields.COLLECTION)
public record Erasure(
        @Id String id,
        @Field(ErasureFields.TENANT_ID) String tenantId,
        @Field(ErasureFields.USER_ID) String userId,
        @Field(ErasureFields.AT) Instant at,
        @Field(ErasureFields.ACTOR) String actor,
        @Field(ErasureFields.ACTOR_TENANT) String actorTenant,
        @Field(ErasureFields.COMPLETED_AT) Instant completedAt,
        @Field(ErasureFields.PENDING_ADDRESS) Sealed pendingAddress) {
}
