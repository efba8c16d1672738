package com.phishnet.store.audit;

/** Every kind of event the audit trail records. Names are stored; never rename one, add a new one. */
public enum AuditEventType {
    USER_CREATED,
    USER_UPDATED,
    USER_DEACTIVATED,
    CREDENTIAL_STORED,
    CREDENTIAL_ROTATED,
    CREDENTIAL_REVOKED,
    CREDENTIAL_SECRET_READ,
    REFRESH_TOKEN_ISSUED,
    REFRESH_TOKEN_ROTATED,
    REFRESH_TOKEN_REVOKED,
    REFRESH_TOKEN_FAMILY_REVOKED,
    /** A rotated refresh token was presented again: a security event that revokes the whole family. */
    REFRESH_TOKEN_REUSE_DETECTED,
    KEY_ROTATION_STARTED,
    KEY_ROTATION_COMPLETED,
    ACCESS_DENIED,
    SCAN_INGESTED,
    THREAT_DETECTED,
    FEEDBACK_RECORDED,
    CONFIGURATION_CHANGED,
    BACKUP_CREATED,
    BACKUP_RESTORED,
    BACKUP_STARTED,
    BACKUP_FAILED,
    BACKUP_VERIFIED,
    BACKUP_DOWNLOADED,
    BACKUP_DELETED,
    BACKUP_RESTORE_CHECKED,
    BACKUP_RESTORE_STARTED,
    BACKUP_RESTORE_FAILED,
    JOB_CANCELLED,
    RETENTION_POLICY_CHANGED,
    LEGAL_HOLD_PLACED,
    LEGAL_HOLD_LIFTED,
    RETENTION_RUN_STARTED,
    RETENTION_RUN_COMPLETED,
    RETENTION_RUN_FAILED,
    RETENTION_DRY_RUN,
    RETENTION_RUN_ABANDONED,
    /** GDPR erasure of a user's personal data; details carry counts and the reason, never an erased value. */
    USER_ERASED,
    /** An API key was created (details: prefix, scopes, expiry; never the key). */
    API_KEY_CREATED,
    /** An API key was replaced by a new one (details: successor, its prefix, when the old one stops). */
    API_KEY_ROTATED,
    API_KEY_REVOKED
}
