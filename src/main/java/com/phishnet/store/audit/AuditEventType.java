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
    RETENTION_RUN,
    /** GDPR erasure of a user's personal data; details carry counts and the reason, never an erased value. */
    USER_ERASED
}
