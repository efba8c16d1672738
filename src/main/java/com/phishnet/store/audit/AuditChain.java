package com.phishnet.store.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.phishnet.store.platform.crypto.Sha256;

/**
 * The hash chain of a tenant's audit trail: each entry stores the previous entry's hash and a SHA-256 over a
 * canonical encoding of its own fields, so editing, deleting or reordering any entry breaks every later link.
 * <p>
 * Two formats. v1 entries (no {@code v}) hash ip and userAgent in clear, so erasing them breaks the chain. v2
 * entries ({@code v: 2}, every new one) hash instead {@code personalDigest} = HMAC-SHA-256(key = a random per-entry
 * salt, ip and userAgent): erasure removes ip, userAgent and the salt and keeps the digest, and the entry hash still
 * matches. The salt is not hashed, so it can go; while it is there, verification recomputes the digest, so an edited
 * ip is still found.
 */
public final class AuditChain {

    /** The chain format of every new entry. */
    public static final int VERSION = 2;
    /** Length of a v2 entry's salt: as long as the HMAC-SHA-256 key it is, so the digest cannot be brute-forced. */
    public static final int SALT_BYTES = 32;

    private static final byte[] DOMAIN_V1 = "phishnet-audit-v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOMAIN_V2 = "phishnet-audit-v2".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOMAIN_PERSONAL = "phishnet-audit-personal-v2".getBytes(StandardCharsets.UTF_8);
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    private AuditChain() {
    }

    /**
     * The v2 entry that follows {@code previous} (null for the first one) in the event's tenant chain, its personal
     * digest keyed with {@code salt} ({@link #SALT_BYTES} random bytes from the caller's SecureRandom).
     */
    public static AuditEntry next(AuditEntry previous, AuditEvent event, Instant now, String id, byte[] salt) {
        if (salt == null || salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("an audit salt is " + SALT_BYTES + " random bytes");
        }
        // MongoDB stores milliseconds: hash what will be read back, or verification would fail.
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        long seq = previous == null ? 1 : previous.seq() + 1;
        String prevHash = previous == null ? null : previous.hash();
        String saltHex = HexFormat.of().formatHex(salt);
        AuditEntry unsigned = new AuditEntry(id, event.tenantId(), seq, event.type().name(), event.actorId(),
                event.targetType(), event.targetId(), event.outcome(), event.ip(), event.userAgent(), event.requestId(),
                event.details(), at, prevHash, null, VERSION, saltHex,
                personalDigest(saltHex, event.ip(), event.userAgent()), null);
        return withHash(unsigned, hash(unsigned));
    }

    /**
     * SHA-256 (hex) of the canonical encoding of the entry. v1: every field but {@code _id} and the hash itself.
     * v2: the same minus ip and userAgent, plus {@code v} and {@code personalDigest}; never the salt nor erasedAt,
     * which erasure changes.
     */
    public static String hash(AuditEntry entry) {
        if (entry.v() == null) {
            return hashV1(entry);
        }
        if (entry.v() == VERSION) {
            return hashV2(entry);
        }
        throw new IllegalArgumentException("unknown audit chain version " + entry.v());
    }

    /**
     * HMAC-SHA-256 (hex) keyed with the salt (hex) over ip and userAgent, each null-marked and length-prefixed
     * as in the entry hash. Salted per entry: an unsalted hash of an IPv4 address is reversed by trying all 2^32.
     */
    public static String personalDigest(String saltHex, String ip, String userAgent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, DOMAIN_PERSONAL);
        writeNullable(out, ip);
        writeNullable(out, userAgent);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(saltHex), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(out.toByteArray()));
        }
        catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", impossible);
        }
    }

    /** Whether a salt or digest has the stored form: 64 lower-case hex digits. */
    static boolean isHex64(String value) {
        return value != null && HEX_64.matcher(value).matches();
    }

    /** What {@link AuditRepository#eraseUpdate} does to a stored v2 entry, for tests of the rules. */
    static AuditEntry erased(AuditEntry entry, Instant at) {
        return new AuditEntry(entry.id(), entry.tenantId(), entry.seq(), entry.eventType(), entry.actorId(),
                entry.targetType(), entry.targetId(), entry.outcome(), null, null, entry.requestId(), entry.details(),
                entry.at(), entry.prevHash(), entry.hash(), entry.v(), null, entry.personalDigest(),
                at.truncatedTo(ChronoUnit.MILLIS));
    }

    private static String hashV1(AuditEntry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, DOMAIN_V1);
        for (String part : new String[] {entry.tenantId(), Long.toString(entry.seq()), entry.eventType(),
                entry.actorId(), entry.targetType(), entry.targetId(),
                entry.outcome() == null ? null : entry.outcome().name(), entry.ip(), entry.userAgent(),
                entry.requestId(), Long.toString(entry.at().toEpochMilli()), entry.prevHash()}) {
            writeNullable(out, part);
        }
        writeDetails(out, entry.details());
        return Sha256.hex(out.toByteArray());
    }

    private static String hashV2(AuditEntry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, DOMAIN_V2);
        for (String part : new String[] {Integer.toString(entry.v()), entry.tenantId(), Long.toString(entry.seq()),
                entry.eventType(), entry.actorId(), entry.targetType(), entry.targetId(),
                entry.outcome() == null ? null : entry.outcome().name(), entry.personalDigest(), entry.requestId(),
                Long.toString(entry.at().toEpochMilli()), entry.prevHash()}) {
            writeNullable(out, part);
        }
        writeDetails(out, entry.details());
        return Sha256.hex(out.toByteArray());
    }

    private static void writeDetails(ByteArrayOutputStream out, Map<String, String> details) {
        Map<String, String> sorted = new TreeMap<>(details == null ? Map.of() : details);
        writeNullable(out, Integer.toString(sorted.size()));
        sorted.forEach((key, value) -> {
            writeNullable(out, key);
            writeNullable(out, value);
        });
    }

    private static AuditEntry withHash(AuditEntry entry, String hash) {
        return new AuditEntry(entry.id(), entry.tenantId(), entry.seq(), entry.eventType(), entry.actorId(),
                entry.targetType(), entry.targetId(), entry.outcome(), entry.ip(), entry.userAgent(), entry.requestId(),
                entry.details(), entry.at(), entry.prevHash(), hash, entry.v(), entry.salt(), entry.personalDigest(),
                entry.erasedAt());
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
