package com.phishnet.store.scans;

/** Stored names of the {@code emails_meta} collection: metadata of a scanned message, never its body. */
public final class EmailFields {

    public static final String COLLECTION = "emails_meta";

    public static final String ID = "_id";
    public static final String TENANT_ID = "tenantId";
    public static final String USER_ID = "userId";
    public static final String MESSAGE_ID = "messageId";
    public static final String SENDER = "sender";
    public static final String SENDER_DOMAIN = "senderDomain";
    public static final String RECIPIENTS = "recipients";
    public static final String SUBJECT = "subject";
    public static final String RECEIVED_AT = "receivedAt";
    public static final String SIZE_BYTES = "sizeBytes";
    public static final String HASHES = "hashes";
    /** The content hash the lookup by hash matches ({@code GET /api/v1/emails?sha256=}). */
    public static final String SHA256 = HASHES + ".sha256";
    public static final String LEGAL_HOLD = "legalHold";
    public static final String CREATED_AT = "createdAt";

    private EmailFields() {
    }
}
