package com.phishnet.store.apidocs;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;

/**
 * One valid example per request body type, by the type's simple name, shown in the OpenAPI document and sent by
 * HostileInputTest as the valid body it mutates; ApiDocumentTest checks every body type has one here.
 */
public final class RequestExamples {

    public static final Map<String, String> BY_TYPE = Map.ofEntries(
            Map.entry("CreateUser", """
                    {"email":"ann@example.com","displayName":"Ann","role":"ANALYST",
                     "credentials":[{"provider":"GOOGLE","accessToken":"ya29.x","scopes":["mail.read"]}]}"""),
            Map.entry("UpdateUser", """
                    {"role":"USER","status":"ACTIVE","displayName":"Ann"}"""),
            Map.entry("CredentialInput", """
                    {"provider":"GOOGLE","accountEmail":"ann@example.com","accessToken":"ya29.x",
                     "refreshToken":"1//r","scopes":["mail.read"],"expiresAt":"2030-01-01T00:00:00Z"}"""),
            Map.entry("RotateTokens", """
                    {"accessToken":"ya29.y","refreshToken":"1//s","scopes":["mail.read"],
                     "expiresAt":"2030-01-01T00:00:00Z"}"""),
            Map.entry("Rotate", """
                    {"token":"rt_abcdefghijklmnopqrstuvwxyz0123456789"}"""),
            Map.entry("IngestScan", """
                    {"userId":"u-1",
                     "email":{"messageId":"<m1@example.com>","sender":"eve@evil.example","recipients":["ann@example.com"],
                              "subject":"Invoice","receivedAt":"2026-01-01T00:00:00Z","sizeBytes":1024,
                              "hashes":{"sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}},
                     "result":{"verdict":"MALICIOUS","score":0.9,"indicators":[{"type":"url","value":"http://x.example","weight":0.5}],
                               "modelVersion":"m-1","timings":{"total":12},"scannedAt":"2026-01-01T00:00:01Z"}}"""),
            // Bulk ingestion: the JSON envelope, and one NDJSON line (an item: the scan and its idempotency key).
            Map.entry("ScanBatch", """
                    {"items":[{"idempotencyKey":"scan-2026-0001","userId":"u-1",
                     "email":{"messageId":"<m1@example.com>","sender":"eve@evil.example","recipients":["ann@example.com"],
                              "subject":"Invoice","receivedAt":"2026-01-01T00:00:00Z","sizeBytes":1024},
                     "result":{"verdict":"MALICIOUS","score":0.9,"modelVersion":"m-1","scannedAt":"2026-01-01T00:00:01Z"}},
                     {"idempotencyKey":"scan-2026-0002","userId":"u-1",
                     "email":{"messageId":"<m2@example.com>","sender":"bob@corp.example","recipients":["ann@example.com"],
                              "subject":"Lunch","receivedAt":"2026-01-01T00:01:00Z","sizeBytes":512},
                     "result":{"verdict":"CLEAN","score":0.02,"modelVersion":"m-1","scannedAt":"2026-01-01T00:01:01Z"}}]}"""),
            Map.entry("BatchItem", """
                    {"idempotencyKey":"scan-2026-0003","userId":"u-1",
                     "email":{"messageId":"<m3@example.com>","sender":"eve@evil.example","recipients":["ann@example.com"],
                              "subject":"Invoice","receivedAt":"2026-01-01T00:00:00Z","sizeBytes":1024},
                     "result":{"verdict":"SUSPICIOUS","score":0.6,"modelVersion":"m-1","scannedAt":"2026-01-01T00:00:01Z"}}"""),
            Map.entry("FeedbackInput", """
                    {"verdict":"CLEAN","comment":"false positive","rating":4,"flag":"false_positive"}"""),
            Map.entry("DevTokenRequest", """
                    {"subject":"admin-1","tenant":"acme","roles":["ADMIN"],"scopes":[],"ttlMinutes":60}"""),
            // expiresAt must lie in the future and within max-lifetime, which any fixed date stops doing: a year on.
            Map.entry("CreateKey", """
                    {"name":"scanner eu-1","scopes":["scans:write"],"expiresAt":"%sT00:00:00Z"}"""
                    .formatted(LocalDate.now(Clock.systemUTC()).plusYears(1))),
            Map.entry("RotateKey", """
                    {"graceSeconds":3600}"""),
            Map.entry("CreateTicket", """
                    {"stream":"jobs/0b8f3c1e-6a57-4f6e-9d51-3c2a1b0e9f47"}"""),
            Map.entry("PutVerdict", """
                    {"type":"DOMAIN","subject":"evil.example","verdict":"MALICIOUS","score":0.9,"source":"feed-1",
                     "ttlSeconds":3600}"""),
            Map.entry("CreateBackup", """
                    {"collections":["scan_results","users"],"tenantId":"acme","note":"before the upgrade"}"""),
            Map.entry("PutPolicies", """
                    {"days":{"EMAILS_META":30,"AUDIT_LOGS":400}}"""),
            Map.entry("PlaceHold", """
                    {"userId":"u-1","reason":"litigation 2026-17"}"""),
            Map.entry("EraseUser", """
                    {"reason":"data subject request 2026-41"}"""),
            Map.entry("RestoreRequest", """
                    {"targetDatabase":"phishnet_restored","dryRun":true}"""),
            Map.entry("AbandonRun", """
                    {"reason":"its archive was lost with the old bucket"}"""),
            Map.entry("StartRun", """
                    {"dryRun":true}"""));

    private RequestExamples() {
    }
}
