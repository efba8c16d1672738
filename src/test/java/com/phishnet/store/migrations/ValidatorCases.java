package com.phishnet.store.migrations;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.phishnet.store.platform.web.InputBounds;
import com.phishnet.store.reputation.ReputationFields;
import com.phishnet.store.reputation.ReputationOwner;
import com.phishnet.store.reputation.SubjectType;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * Documents for validator tests: one valid base document per collection, and single-field changes of it that
 * the validator must reject. Shared by the unit check (each base conforms, each change breaks exactly the one
 * rule it names) and by ValidatorsIT (the server agrees), so a rejection can never pass for another reason.
 */
final class ValidatorCases {

    /** Far enough ahead that no TTL monitor removes a document while a test looks at it. */
    private static final long AN_HOUR = 3_600_000;
    private static final String URL_PREFIX = "https://phish.example/login?next=";
    /** The longest URL subject the API accepts, normalised. */
    static final String LONGEST_URL = SubjectType.URL.normalize(
            URL_PREFIX + "a".repeat(ReputationFields.SUBJECT_MAX - URL_PREFIX.length()));

    /** The longest stream path a ticket can be issued for: a job's, with the longest id. */
    static final String LONGEST_STREAM = "/api/v1/streams/jobs/" + "j".repeat(InputBounds.ID_MAX);

    private ValidatorCases() {
    }

    /** A change of one field of a collection's base document, and the field whose rule it breaks. */
    record Rejection(String name, String collection, String field, Consumer<Document> change) {

        Document document() {
            Document document = base(collection);
            change.accept(document);
            return document;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<String> collections() {
        return List.of("users", "oauth_credentials", "scan_results", "reputation_cache", "feedback", "stream_tickets",
                "api_keys");
    }

    /** A fresh copy of the valid base document of a collection. */
    static Document base(String collection) {
        Date now = new Date();
        return switch (collection) {
            case "users" -> new Document("_id", "u1").append("tenantId", "t1").append("email", "Ann@Example.com")
                    .append("emailNormalized", "ann@example.com").append("role", "ANALYST").append("status", "ACTIVE")
                    .append("createdAt", now);
            case "oauth_credentials" -> new Document("_id", "c1").append("tenantId", "t1").append("userId", "u1")
                    .append("provider", "GOOGLE").append("status", "ACTIVE").append("createdAt", now)
                    .append("accessToken", new Document("keyId", "k1").append("ciphertext", new Binary(new byte[] {1, 2, 3})));
            case "scan_results" -> new Document("_id", "s1").append("tenantId", "t1").append("emailId", "e1")
                    .append("verdict", "MALICIOUS").append("effectiveVerdict", "MALICIOUS").append("score", 0.9)
                    .append("scannedAt", now).append("createdAt", now);
            case "reputation_cache" -> {
                String url = LONGEST_URL;
                yield new Document("_id", ReputationOwner.GLOBAL.documentId(SubjectType.URL, url))
                        .append("scope", "GLOBAL").append("subjectType", "URL").append("subject", url)
                        .append("verdict", "MALICIOUS").append("score", 0.9).append("source", "feed")
                        .append("fetchedAt", now).append("expiresAt", new Date(now.getTime() + AN_HOUR));
            }
            case "feedback" -> new Document("_id", "f1").append("tenantId", "t1").append("scanId", "s1")
                    .append("analystId", "a".repeat(InputBounds.SUBJECT_MAX)).append("correctedVerdict", "CLEAN")
                    .append("createdAt", now).append("rating", 5).append("flag", "false_positive")
                    .append("modelVersion", "m".repeat(100)).append("scanVerdict", "MALICIOUS");
            case "stream_tickets" -> new Document("_id", "0123456789abcdef".repeat(4))
                    .append("subject", "s".repeat(InputBounds.SUBJECT_MAX))
                    .append("tenantId", "t".repeat(InputBounds.TENANT_ID_MAX))
                    .append("roles", List.of("USER", "ANALYST", "ADMIN"))
                    .append("scopes", List.of("scans:write", "reputation:write", "credentials:read-secret",
                            "service:operator"))
                    .append("stream", LONGEST_STREAM).append("createdAt", now)
                    .append("expiresAt", new Date(now.getTime() + AN_HOUR))
                    .append("tokenExpiresAt", new Date(now.getTime() + AN_HOUR));
            // The widest key the API creates: longest name (with non-ASCII text), every scope, longest creator.
            case "api_keys" -> new Document("_id", "0b8f3c1e-6a57-4f6e-9d51-3c2a1b0e9f47")
                    .append("tenantId", "t".repeat(InputBounds.TENANT_ID_MAX))
                    .append("name", "Scanner Zürich — ".repeat(5) + "n".repeat(15))
                    .append("prefix", "abcdefgh2345").append("hash", "Ab0_-".repeat(8) + "xyz")
                    .append("scopes", List.of("scans:write", "reputation:write", "credentials:read-secret"))
                    .append("createdBy", "s".repeat(InputBounds.SUBJECT_MAX)).append("createdAt", now)
                    .append("expiresAt", new Date(now.getTime() + AN_HOUR)).append("lastUsedAt", now)
                    .append("rotatedFrom", "0b8f3c1e-6a57-4f6e-9d51-3c2a1b0e9f46");
            default -> throw new IllegalArgumentException(collection);
        };
    }

    static List<Rejection> rejections() {
        return List.of(
                new Rejection("a user with an unknown role", "users", "role", user -> user.put("role", "ROOT")),
                new Rejection("a user without tenant", "users", "tenantId", user -> user.remove("tenantId")),
                new Rejection("a user with an idempotency key longer than the API accepts", "users", "idempotencyKey",
                        user -> user.append("idempotencyKey", "k".repeat(201)).append("requestHash", "h".repeat(43))),
                new Rejection("a user with a request hash that is not an HMAC", "users", "requestHash",
                        user -> user.append("idempotencyKey", "create-ann-1").append("requestHash", "short")),
                new Rejection("a credential whose token is plaintext", "oauth_credentials", "accessToken",
                        credential -> credential.put("accessToken", "ya29.plaintext-token")),
                new Rejection("a scan with a score above one", "scan_results", "score", scan -> scan.put("score", 1.5)),
                new Rejection("a scan without effective verdict", "scan_results", "effectiveVerdict",
                        scan -> scan.remove("effectiveVerdict")),
                new Rejection("a scan corrected from a verdict that does not exist", "scan_results", "correctedFrom",
                        scan -> scan.append("correctedFrom", "HARMLESS")),
                new Rejection("a reputation entry with an id of the old TYPE:subject scheme", "reputation_cache", "_id",
                        entry -> entry.put("_id", "URL:" + entry.getString("subject"))),
                new Rejection("a global reputation verdict that names a tenant", "reputation_cache", "",
                        entry -> entry.put("tenantId", "t1")),
                new Rejection("a tenant reputation override without its tenant", "reputation_cache", "",
                        entry -> entry.put("scope", "TENANT")),
                new Rejection("a reputation subject longer than the API accepts", "reputation_cache", "subject",
                        entry -> entry.put("subject", entry.getString("subject") + "x")),
                new Rejection("feedback from an analyst id longer than a token subject", "feedback", "analystId",
                        feedback -> feedback.put("analystId", "a".repeat(InputBounds.SUBJECT_MAX + 1))),
                new Rejection("a feedback rating below 1", "feedback", "rating", feedback -> feedback.put("rating", 0)),
                new Rejection("a feedback rating above 5", "feedback", "rating", feedback -> feedback.put("rating", 6)),
                new Rejection("a feedback rating that is no whole number", "feedback", "rating",
                        feedback -> feedback.put("rating", 4.5)),
                new Rejection("a feedback flag written by its constant's name", "feedback", "flag",
                        feedback -> feedback.put("flag", "FALSE_POSITIVE")),
                new Rejection("a feedback copy of a scan verdict that does not exist", "feedback", "scanVerdict",
                        feedback -> feedback.put("scanVerdict", "unknown")),
                new Rejection("a feedback copy of a model version longer than ingestion accepts", "feedback",
                        "modelVersion", feedback -> feedback.put("modelVersion", "m".repeat(101))),
                new Rejection("a stream ticket whose id is no SHA-256 in hex", "stream_tickets", "_id",
                        ticket -> ticket.put("_id", "Q".repeat(64))),
                new Rejection("a stream ticket of a tenant no token may name", "stream_tickets", "tenantId",
                        ticket -> ticket.put("tenantId", "acme corp")),
                new Rejection("a stream ticket with a subject longer than a token's", "stream_tickets", "subject",
                        ticket -> ticket.put("subject", "s".repeat(InputBounds.SUBJECT_MAX + 1))),
                new Rejection("a stream ticket with an unknown role", "stream_tickets", "roles[0]",
                        ticket -> ticket.put("roles", List.of("ROOT"))),
                new Rejection("a stream ticket with a scope the service does not know", "stream_tickets", "scopes[0]",
                        ticket -> ticket.put("scopes", List.of("everything"))),
                new Rejection("a stream ticket with more scopes than exist", "stream_tickets", "scopes",
                        ticket -> ticket.put("scopes", List.of("scans:write", "scans:write", "scans:write",
                                "scans:write", "scans:write"))),
                new Rejection("a stream ticket for a path outside the streams", "stream_tickets", "stream",
                        ticket -> ticket.put("stream", "/api/v1/admin/audit")),
                new Rejection("a stream ticket for a path longer than any stream", "stream_tickets", "stream",
                        ticket -> ticket.put("stream", LONGEST_STREAM + "j")),
                new Rejection("a stream ticket without the expiry of its token", "stream_tickets", "tokenExpiresAt",
                        ticket -> ticket.remove("tokenExpiresAt")),
                new Rejection("an API key with the operator scope", "api_keys", "scopes[0]",
                        key -> key.put("scopes", List.of("service:operator"))),
                new Rejection("an API key with a scope twice", "api_keys", "scopes",
                        key -> key.put("scopes", List.of("scans:write", "scans:write"))),
                new Rejection("an API key without scopes", "api_keys", "scopes", key -> key.put("scopes", List.of())),
                new Rejection("an API key whose name holds a control character", "api_keys", "name",
                        key -> key.put("name", "scanner\u0007")),
                new Rejection("an API key whose name holds a format character (a bidi override)", "api_keys", "name",
                        key -> key.put("name", "scanner\u202Eexe.txt")),
                new Rejection("an API key whose name is longer than the API accepts", "api_keys", "name",
                        key -> key.put("name", "n".repeat(101))),
                new Rejection("an API key whose prefix is not lower-case base32", "api_keys", "prefix",
                        key -> key.put("prefix", "abcdefgh2341")),
                new Rejection("an API key hash in standard base64 instead of base64url", "api_keys", "hash",
                        key -> key.put("hash", "A".repeat(42) + "+")),
                new Rejection("an API key of a tenant no token may name", "api_keys", "tenantId",
                        key -> key.put("tenantId", "acme corp")));
    }

    /** The validators as all change units leave them, by collection. */
    static Map<String, Document> validators() {
        return IdentifierBoundsTest.currentValidators();
    }

}
