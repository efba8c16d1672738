package com.phishnet.store.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

import com.phishnet.store.platform.crypto.Sha256;

/**
 * The hash chain of a tenant's audit trail: each entry stores the previous entry's hash and a SHA-256 over a
 * canonical encoding of its own fields, so editing, deleting or reordering any entry breaks every later link.
 */
public final class AuditChain {

    private static final byte[] DOMAIN = "phishnet-audit-v1".getBytes(StandardCharsets.UTF_8);

    private AuditChain() {
    }

    /** The entry that follows {@code previous} (null for the first one) in the event's tenant chain. */
    public static AuditEntry next(AuditEntry previous, AuditEvent event, Instant now, String id) {
        // MongoDB stores milliseconds: hash what will be read back, or verification would fail.
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        long seq = previous == null ? 1 : previous.seq() + 1;
        String prevHash = previous == null ? null : previous.hash();
        AuditEntry unsigned = new AuditEntry(id, event.tenantId(), seq, event.type().name(), event.actorId(),
                event.targetType(), event.targetId(), event.outcome(), event.ip(), event.userAgent(), event.requestId(),
                event.details(), at, prevHash, null);
        return withHash(unsigned, hash(unsigned));
    }

    /** SHA-256 (hex) of the canonical encoding of every field but {@code _id} and the hash itself. */
    public static String hash(AuditEntry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, DOMAIN);
        for (String part : new String[] {entry.tenantId(), Long.toString(entry.seq()), entry.eventType(),
                entry.actorId(), entry.targetType(), entry.targetId(),
                entry.outcome() == null ? null : entry.outcome().name(), entry.ip(), entry.userAgent(),
                entry.requestId(), Long.toString(entry.at().toEpochMilli()), entry.prevHash()}) {
            writeNullable(out, part);
        }
        Map<String, String> details = new TreeMap<>(entry.details() == null ? Map.of() : entry.details());
        writeNullable(out, Integer.toString(details.size()));
        details.forEach((key, value) -> {
            writeNullable(out, key);
            writeNullable(out, value);
        });
        return Sha256.hex(out.toByteArray());
    }

    private static AuditEntry withHash(AuditEntry entry, String hash) {
        return new AuditEntry(entry.id(), entry.tenantId(), entry.seq(), entry.eventType(), entry.actorId(),
                entry.targetType(), entry.targetId(), entry.outcome(), entry.ip(), entry.userAgent(), entry.requestId(),
                entry.details(), entry.at(), entry.prevHash(), hash);
    }

    /** A null and an empty string encode differently: a marker byte, then length-prefixed UTF-8. */
    private static void writeNullable(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.write(0);
            return;
        }
        out.write(1);
        write(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length >>> 24);
        out.write(bytes.length >>> 16);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }
}
