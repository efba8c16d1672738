package com.phishnet.store.backup;

import java.time.Instant;
import java.util.List;

/**
 * {@code manifest.json}, the first file of every archive: what the backup holds and how to check it. Everything
 * the service's verify and restore need before reading the dump; nothing a stock tool needs (mongorestore reads
 * only {@code dump/}).
 *
 * @param format        the layout's version; a reader refuses one it does not know
 * @param service       the service version that wrote it
 * @param database      the database the dump's files are under ({@code dump/<database>/})
 * @param clusterTime   the one point in time every collection was read at
 * @param tenantId      the only tenant whose documents it holds; null for a whole backup
 * @param keyIds        the data keys that sealed the encrypted fields it holds; a restore needs every one
 * @param collections   each collection with its document count and its two files
 * @param files         every file after the manifest, with its size and SHA-256
 */
public record BackupManifest(int format, String service, String backupId, String database, ClusterTime clusterTime,
        Instant createdAt, String tenantId, List<String> keyIds, List<Collection> collections, List<DumpFile> files) {

    public static final int FORMAT = 1;

    /** A cluster time as the server gives it: seconds and an increment within the second. */
    public record ClusterTime(long t, long i) {
    }

    public record Collection(String name, long documents, String bsonFile, String metadataFile) {
    }
}
