package com.phishnet.store.backup;

/**
 * One file of a dump as written: its path inside the archive, how many documents it holds (none for metadata),
 * its size as stored and the SHA-256 of exactly those bytes, which the manifest lists and verify checks.
 */
public record DumpFile(String path, long documents, long bytes, String sha256) {
}
