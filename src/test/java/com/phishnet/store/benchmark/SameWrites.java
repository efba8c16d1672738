package com.phishnet.store.benchmark;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.phishnet.store.analytics.TenantStatsFields;
import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.scans.EmailFields;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.users.UserFields;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * What the ingestion benchmark's probe compares between a scan ingested over HTTP and one ingested through the
 * driver: every field of every document, by BSON type and by value, and every counter by how far it moved. Values
 * that legitimately differ between two ingestions are compared by type only: ids, times set from the clock, the
 * per-call key and request fingerprint (the raw side's is a hash of the message id), the audit chain's position,
 * salt and the hashes that cover them.
 */
final class SameWrites {

    static final Set<String> SCAN_VARIES = Set.of(ScanFields.ID, ScanFields.EMAIL_ID, ScanFields.IDEMPOTENCY_KEY,
            ScanFields.REQUEST_HASH, ScanFields.SCANNED_AT, ScanFields.CREATED_AT);
    /** The message id carries the call's key: each probe sends a message of its own. */
    static final Set<String> EMAIL_VARIES = Set.of(EmailFields.ID, EmailFields.MESSAGE_ID, EmailFields.RECEIVED_AT,
            EmailFields.CREATED_AT);
    /**
     * ip and userAgent are compared: the benchmark's client connects from 127.0.0.1 with its own User-Agent, which
     * the raw side records. The personal digest is an HMAC keyed with the entry's random salt.
     */
    static final Set<String> AUDIT_VARIES = Set.of(AuditFields.ID, AuditFields.SEQUENCE, AuditFields.TARGET_ID,
            AuditFields.REQUEST_ID, AuditFields.AT, AuditFields.PREVIOUS_HASH, AuditFields.HASH, AuditFields.SALT,
            AuditFields.PERSONAL_DIGEST);
    static final Set<String> USER_CLOCK = Set.of(UserFields.STATS + ".lastScanAt");
    static final Set<String> TENANT_STATS_CLOCK = Set.of(TenantStatsFields.LAST_SCAN_AT, TenantStatsFields.UPDATED_AT);

    private SameWrites() {
    }

    /** A field: its BSON type, and its value (an array's length; nothing for a document, whose fields follow). */
    private record Field(BsonType type, BsonValue value) {

        String show() {
            return switch (type) {
                case DOCUMENT -> "a document";
                case ARRAY -> "an array of " + value.asInt32().getValue();
                case STRING -> "\"" + value.asString().getValue() + "\" (STRING)";
                case INT32 -> value.asInt32().getValue() + " (INT32)";
                case INT64 -> value.asInt64().getValue() + " (INT64)";
                case DOUBLE -> value.asDouble().getValue() + " (DOUBLE)";
                case BOOLEAN -> value.asBoolean().getValue() + " (BOOLEAN)";
                case DATE_TIME -> Instant.ofEpochMilli(value.asDateTime().getValue()) + " (DATE_TIME)";
                default -> value + " (" + type + ")";
            };
        }
    }

    /**
     * The first field path (in path order) at which the two documents differ — absent on one side, of another BSON
     * type, or of another value where the value may not vary — described with both sides; empty when none does.
     */
    static Optional<String> firstDifference(Document service, Document driver, Set<String> varies) {
        Map<String, Field> left = fields(service);
        Map<String, Field> right = fields(driver);
        for (String path : union(left, right)) {
            Field over = left.get(path);
            Field through = right.get(path);
            if (over == null || through == null || over.type() != through.type()
                    || (!covered(path, varies) || over.type() == BsonType.ARRAY) && !same(over, through)) {
                return Optional.of("first difference at " + path + ": over HTTP " + (over == null ? "absent" : over.show())
                        + ", through the driver " + (through == null ? "absent" : through.show()));
            }
        }
        return Optional.empty();
    }

    /**
     * The first field path at which the two ingestions changed a counters document differently: a number moved by
     * another amount (a counter one side does not move moves by 0), a field added or removed by one side only, or
     * another field that the driver's ingestion left with another value than the service's had (it comes second:
     * had it set what the service set, the value would be the same). {@code clock} fields (times) only have to keep
     * their BSON type.
     *
     * @param before       the document before either ingestion
     * @param afterService after the ingestion over HTTP
     * @param afterDriver  after the ingestion through the driver, which came second
     */
    static Optional<String> firstCounterDifference(Document before, Document afterService, Document afterDriver,
            Set<String> clock) {
        Map<String, Field> start = fields(before);
        Map<String, Field> middle = fields(afterService);
        Map<String, Field> end = fields(afterDriver);
        Set<String> paths = union(start, middle);
        paths.addAll(end.keySet());
        for (String path : paths) {
            Field was = start.get(path);
            Field service = middle.get(path);
            Field driver = end.get(path);
            if (service == null || driver == null) {
                if (service != null || driver != null) {
                    return Optional.of("first difference at " + path + ": " + (service == null ? "absent after the"
                            + " ingestion over HTTP, " + driver.show() + " after the one through the driver"
                            : service.show() + " after the ingestion over HTTP, absent after the one through the driver"));
                }
                continue;
            }
            // A document's or an array's own entry: their fields and elements are compared one by one.
            boolean container = service.type() == BsonType.DOCUMENT || service.type() == BsonType.ARRAY;
            if (service.type() != driver.type() || covered(path, clock) || container) {
                if (service.type() != driver.type()) {
                    return Optional.of("first difference at " + path + ": " + service.show() + " after the ingestion"
                            + " over HTTP, " + driver.show() + " after the one through the driver");
                }
                continue;
            }
            if (service.value().isNumber()) {
                double overHttp = number(service) - number(was);
                double throughDriver = number(driver) - number(service);
                if (overHttp != throughDriver) {
                    return Optional.of("first difference at " + path + ": moved by " + figure(overHttp)
                            + " over HTTP, by " + figure(throughDriver) + " through the driver");
                }
            }
            else if (!same(service, driver)) {
                // Whatever else the service's ingestion set, the driver's, coming second, sets to the same value.
                return Optional.of("first difference at " + path + ": " + service.show() + " after the ingestion over"
                        + " HTTP, " + driver.show() + " after the one through the driver");
            }
        }
        return Optional.empty();
    }

    /** How far the number at {@code path} moved from {@code before} to {@code after}; 0 where neither has one. */
    static long moved(Document before, Document after, String path) {
        Field was = fields(before).get(path);
        Field now = fields(after).get(path);
        return (long) (number(now) - number(was));
    }

    /** Every field path of the document (array elements by index), with its type and value. */
    private static Map<String, Field> fields(Document document) {
        Map<String, Field> fields = new TreeMap<>();
        if (document != null) {
            fields("", document.toBsonDocument(), fields);
        }
        return fields;
    }

    private static void fields(String prefix, BsonValue value, Map<String, Field> fields) {
        if (value instanceof BsonDocument document) {
            if (!prefix.isEmpty()) {
                fields.put(prefix, new Field(BsonType.DOCUMENT, null));
            }
            document.forEach((key, field) -> fields(prefix.isEmpty() ? key : prefix + "." + key, field, fields));
        }
        else if (value instanceof BsonArray array) {
            fields.put(prefix, new Field(BsonType.ARRAY, new BsonInt32(array.size())));
            for (int i = 0; i < array.size(); i++) {
                fields(prefix + "." + i, array.get(i), fields);
            }
        }
        else {
            fields.put(prefix, new Field(value.getBsonType(), value));
        }
    }

    /** The path or a field it lies in is one of {@code paths}. */
    private static boolean covered(String path, Set<String> paths) {
        for (String varies : paths) {
            if (path.equals(varies) || path.startsWith(varies + ".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(Field left, Field right) {
        return left.type() == right.type() && Objects.equals(left.value(), right.value());
    }

    /** The field's number; 0 for a field that is absent or holds none (a counter not there yet). */
    private static double number(Field field) {
        BsonValue value = field == null ? null : field.value();
        if (value == null || !value.isNumber()) {
            return 0;
        }
        return value.isDouble() ? value.asDouble().getValue() : value.asNumber().longValue();
    }

    private static String figure(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static Set<String> union(Map<String, Field> left, Map<String, Field> right) {
        Set<String> paths = new TreeSet<>(left.keySet());
        paths.addAll(right.keySet());
        return paths;
    }
}
