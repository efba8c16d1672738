package com.phishnet.store.streams;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.platform.security.Access.Role;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;

/**
 * A stream ticket as stored: the hash of the ticket and what the bearer token that created it said about its
 * caller, for one stream path, until {@code expiresAt}.
 */
@Document(StreamTicketFields.COLLECTION)
public record StreamTicket(
        @Id String hash,
        @Field(StreamTicketFields.SUBJECT) String subject,
        @Field(StreamTicketFields.TENANT_ID) String tenantId,
        @Field(StreamTicketFields.ROLES) List<Role> roles,
        @Field(StreamTicketFields.SCOPES) List<String> scopes,
        @Field(StreamTicketFields.STREAM) String stream,
        @Field(StreamTicketFields.CREATED_AT) Instant createdAt,
        @Field(StreamTicketFields.EXPIRES_AT) Instant expiresAt,
        @Field(StreamTicketFields.TOKEN_EXPIRES_AT) Instant tokenExpiresAt) {
}
