package com.phishnet.store.benchmark;

/**
 * A tenant the ingestion benchmark writes to: its scanner's bearer token and subject, and the user whose scans
 * are counted. Each closed-loop worker has a tenant of its own, so no two calls in flight append to one tenant's
 * audit chain (the service runs a tenant's transactions one after another; so does the raw side).
 */
public record BenchTenant(String tenantId, String scannerSubject, String scannerToken, String userId) {
}
