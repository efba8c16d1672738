package com.phishnet.store.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Re-reads an archive the way a restore would and compares it with its manifest: every file listed and no other,
 * each file's size and SHA-256, every document decoded, each collection's count. Reads one pass, in bounded memory.
 */
public final class ArchiveVerifier {

    /** The manifest's files are small JSON; anything larger is not one of ours. */
    static final int MAX_JSON_BYTES = 16 * 1024 * 1024;

    /**
     * What verifying found.
     *
     * @param manifest  the archive's manifest, or null when it has none that can be read
     * @param problems  every difference found, in the order found; none means the archive is as written
     * @param documents the documents read and decoded
     */
    public record Verification(BackupManifest manifest, List<String> problems, long documents) {

        public boolean passed() {
            return problems.isEmpty();
        }
    }

    private final JsonMapper json;

    public ArchiveVerifier(JsonMapper json) {
        this.json = json;
    }

    /** Blocking IO: call it on a bounded scheduler. */
    public Verification verify(InputStream archive) {
        List<String> problems = new ArrayList<>();
        BackupManifest[] manifest = new BackupManifest[1];
        Map<String, Long> documents = new HashMap<>();
        long[] decoded = new long[1];
        List<BackupArchive.Entry> entries;
        try {
            entries = BackupArchive.read(archive, (path, content) -> {
                if (manifest[0] == null && problems.isEmpty()) {
                    if (!path.equals(BackupArchive.MANIFEST)) {
                        problems.add("The archive does not start with " + BackupArchive.MANIFEST + " (found " + path + ")");
                        return;
                    }
                    manifest[0] = manifest(content, problems);
                    return;
                }
                if (path.endsWith(".bson.gz")) {
                    long count = DumpReader.read(content, path, document -> { });
                    documents.put(path, count);
                    decoded[0] += count;
                }
                else if (path.endsWith(".metadata.json.gz")) {
                    try {
                        json.readTree(bounded(new GZIPInputStream(content), path));
                    }
                    catch (JacksonException unreadable) {
                        problems.add(path + ": not JSON (" + unreadable.getOriginalMessage() + ")");
                    }
                }
            });
        }
        catch (ArchiveCorruptException corrupt) {
            problems.add(corrupt.getMessage());
            return new Verification(manifest[0], problems, decoded[0]);
        }
        if (manifest[0] != null) {
            compare(manifest[0], entries, documents, problems);
        }
        else if (problems.isEmpty()) {
            problems.add("The archive is empty");
        }
        return new Verification(manifest[0], problems, decoded[0]);
    }

    private BackupManifest manifest(InputStream content, List<String> problems) throws IOException {
        try {
            BackupManifest manifest = json.readValue(bounded(content, BackupArchive.MANIFEST), BackupManifest.class);
            if (manifest.format() != BackupManifest.FORMAT) {
                problems.add("The manifest has format " + manifest.format() + "; this version reads format "
                        + BackupManifest.FORMAT);
                return null;
            }
            return manifest;
        }
        catch (JacksonException unreadable) {
            problems.add(BackupArchive.MANIFEST + ": not a manifest (" + unreadable.getOriginalMessage() + ")");
            return null;
        }
    }

    private static void compare(BackupManifest manifest, List<BackupArchive.Entry> entries, Map<String, Long> documents,
            List<String> problems) {
        Map<String, DumpFile> listed = new HashMap<>();
        manifest.files().forEach(file -> listed.put(file.path(), file));
        Set<String> found = new LinkedHashSet<>();
        for (BackupArchive.Entry entry : entries.subList(1, entries.size())) {
            found.add(entry.path());
            DumpFile expected = listed.get(entry.path());
            if (expected == null) {
                problems.add(entry.path() + ": in the archive but not in the manifest");
                continue;
            }
            if (expected.bytes() != entry.bytes()) {
                problems.add(entry.path() + ": " + entry.bytes() + " bytes, the manifest says " + expected.bytes());
            }
            if (!expected.sha256().equals(entry.sha256())) {
                problems.add(entry.path() + ": SHA-256 " + entry.sha256() + ", the manifest says " + expected.sha256());
            }
            Long count = documents.get(entry.path());
            if (count != null && count != expected.documents()) {
                problems.add(entry.path() + ": " + count + " documents, the manifest says " + expected.documents());
            }
        }
        listed.keySet().stream().filter(path -> !found.contains(path)).sorted()
                .forEach(path -> problems.add(path + ": in the manifest but not in the archive"));
    }

    private static byte[] bounded(InputStream content, String path) throws IOException {
        return BackupArchive.readSmall(content, path, MAX_JSON_BYTES);
    }
}
