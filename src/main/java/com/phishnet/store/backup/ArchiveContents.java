package com.phishnet.store.backup;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.json.JsonParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain (decrypted) archive as a restore reads it, pulled one item at a time: the manifest; then, for each
 * collection in the manifest's order, its metadata, its documents one by one and its end. Holds one document (and
 * the tar and gzip buffers) at a time, never a whole file.
 *
 * <p>Checks as it goes that the archive is the one its manifest describes: the manifest first, then each
 * collection's metadata file followed by its documents file, at the paths the manifest gives; each file's size and
 * SHA-256 as the manifest lists them (checked when the file has been read to its end, so a document may be handed
 * out before its file is known to be whole: a restore must treat a failure as a failed restore); each collection's
 * count; nothing after the last collection. Any difference is an {@link ArchiveCorruptException} naming the file.
 *
 * <p>Blocking IO: pull it on a bounded scheduler. Read once, then closed.
 */
public final class ArchiveContents implements Iterable<ArchiveContents.Item>, Closeable {

    /** What the archive holds, in the order it holds it. */
    public sealed interface Item permits Manifest, CollectionStart, CollectionDocument, CollectionEnd {
    }

    /** Always the first item. */
    public record Manifest(BackupManifest manifest) implements Item {
    }

    /**
     * @param metadata the collection's {@code .metadata.json} as {@link DumpLayout#metadata} writes it: options,
     *                 indexes, uuid, collectionName, type
     */
    public record CollectionStart(BackupManifest.Collection collection, BsonDocument metadata) implements Item {
    }

    /** One document, exactly as it was dumped. */
    public record CollectionDocument(BackupManifest.Collection collection, RawBsonDocument document) implements Item {
    }

    /**
     * After the collection's last document.
     *
     * @param documents how many were read, which is the manifest's count (they were compared); when documents are
     *                  skipped, the manifest's count
     */
    public record CollectionEnd(BackupManifest.Collection collection, long documents) implements Item {
    }

    private enum Phase {
        MANIFEST, METADATA, DOCUMENTS, FINISHED
    }

    private final BackupArchive.Reader files;
    private final JsonMapper json;
    private final boolean readDocuments;

    private Phase phase = Phase.MANIFEST;
    private BackupManifest manifest;
    private final Map<String, DumpFile> listed = new HashMap<>();
    private final Set<String> found = new HashSet<>();
    private int collection;
    private BackupArchive.OpenFile documentsFile;
    private DumpReader.Documents documents;
    private boolean iterated;

    private ArchiveContents(InputStream plain, JsonMapper json, boolean readDocuments) {
        this.files = new BackupArchive.Reader(plain);
        this.json = json;
        this.readDocuments = readDocuments;
    }

    /**
     * Opens a plain archive file.
     *
     * @param readDocuments false to skip over the documents files without decompressing them (they are still hashed
     *                      and compared with the manifest): each collection's end then carries the manifest's count
     * @throws IllegalArgumentException when the file is an encrypted archive, which must be decrypted first
     */
    public static ArchiveContents open(Path plainArchive, JsonMapper json, boolean readDocuments) {
        InputStream in = null;
        try {
            in = new BufferedInputStream(Files.newInputStream(plainArchive), 64 * 1024);
            in.mark(ArchiveCipher.MAGIC.length);
            byte[] start = in.readNBytes(ArchiveCipher.MAGIC.length);
            in.reset();
            if (ArchiveCipher.isEncrypted(start)) {
                throw new IllegalArgumentException(plainArchive + " is an encrypted archive; decrypt it before reading it");
            }
            return new ArchiveContents(in, json, readDocuments);
        }
        catch (IOException failure) {
            closeQuietly(in);
            throw new UncheckedIOException("Cannot read the archive " + plainArchive, failure);
        }
        catch (RuntimeException failure) {
            closeQuietly(in);
            throw failure;
        }
    }

    /** Reads a plain archive from a stream, which closing the contents closes. See {@link #open(Path, JsonMapper, boolean)}. */
    public static ArchiveContents of(InputStream plain, JsonMapper json, boolean readDocuments) {
        return new ArchiveContents(plain, json, readDocuments);
    }

    /** The manifest alone: only the archive's first file is read. */
    public static BackupManifest manifestOf(Path plainArchive, JsonMapper json) {
        try (ArchiveContents contents = open(plainArchive, json, false)) {
            return ((Manifest) contents.next()).manifest();
        }
    }

    /**
     * The next item, read from the archive now.
     *
     * @return null after the last collection's end
     * @throws ArchiveCorruptException when the archive differs from its manifest or cannot be read
     */
    public Item next() {
        switch (phase) {
            case MANIFEST:
                return manifestItem();
            case METADATA:
                if (collection == manifest.collections().size()) {
                    finishArchive();
                    return null;
                }
                return readMetadata(manifest.collections().get(collection));
            case DOCUMENTS:
                return documents != null ? nextDocument() : openDocuments(manifest.collections().get(collection));
            default:
                return null;
        }
    }

    /** The items as an iterator, for {@code Flux.fromIterable}: each {@code hasNext} reads ahead one item. Once only. */
    @Override
    public Iterator<Item> iterator() {
        if (iterated) {
            throw new IllegalStateException("An archive's contents are read once");
        }
        iterated = true;
        return new Iterator<>() {

            private Item ahead;
            private boolean fetched;

            @Override
            public boolean hasNext() {
                if (!fetched) {
                    ahead = ArchiveContents.this.next();
                    fetched = true;
                }
                return ahead != null;
            }

            @Override
            public Item next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                fetched = false;
                return ahead;
            }
        };
    }

    @Override
    public void close() {
        phase = Phase.FINISHED;
        if (documents != null) {
            documents.close();
            documents = null;
        }
        closeQuietly(files);
    }

    private Item manifestItem() {
        BackupArchive.OpenFile file = files.next();
        if (file == null) {
            throw new ArchiveCorruptException("The archive is empty");
        }
        if (!file.path().equals(BackupArchive.MANIFEST)) {
            throw new ArchiveCorruptException("The archive does not start with " + BackupArchive.MANIFEST + " (found "
                    + file.path() + ")");
        }
        try {
            manifest = json.readValue(BackupArchive.readSmall(file.content(), BackupArchive.MANIFEST,
                    ArchiveVerifier.MAX_JSON_BYTES), BackupManifest.class);
        }
        catch (JacksonException unreadable) {
            file.finish(); // an archive cut short inside the manifest says so rather than that it is not JSON
            throw new ArchiveCorruptException(BackupArchive.MANIFEST + ": not a manifest (" + unreadable.getOriginalMessage()
                    + ")", unreadable);
        }
        catch (IOException failure) {
            throw new ArchiveCorruptException(BackupArchive.MANIFEST + ": cannot be read (" + failure.getMessage() + ")",
                    failure);
        }
        file.finish();
        if (manifest == null || manifest.collections() == null || manifest.files() == null) {
            throw new ArchiveCorruptException(BackupArchive.MANIFEST + ": lists no collections or no files; it is not one of ours");
        }
        // Another format may lay the files out differently: its manifest is handed out, nothing after it.
        phase = manifest.format() == BackupManifest.FORMAT ? Phase.METADATA : Phase.FINISHED;
        manifest.files().forEach(dumped -> listed.put(dumped.path(), dumped));
        return new Manifest(manifest);
    }

    private Item readMetadata(BackupManifest.Collection current) {
        BackupArchive.OpenFile file = expect(current.metadataFile(), "the metadata of " + current.name());
        String text;
        try (InputStream in = new GZIPInputStream(file.content())) {
            text = new String(BackupArchive.readSmall(in, file.path(), ArchiveVerifier.MAX_JSON_BYTES),
                    StandardCharsets.UTF_8);
        }
        catch (IOException failure) {
            file.finish(); // an archive cut short inside the file says so rather than that its gzip data is damaged
            throw new ArchiveCorruptException(file.path() + ": the gzip data cannot be read (" + failure.getMessage() + ")",
                    failure);
        }
        BsonDocument metadata;
        try {
            metadata = BsonDocument.parse(text);
        }
        catch (JsonParseException | BsonInvalidOperationException | IllegalArgumentException unreadable) {
            throw new ArchiveCorruptException(file.path() + ": not Extended JSON (" + unreadable.getMessage() + ")",
                    unreadable);
        }
        String named = metadata.getString("collectionName", new BsonString(current.name())).getValue();
        if (!named.equals(current.name())) {
            throw new ArchiveCorruptException(file.path() + ": the metadata of collection '" + named
                    + "' where the manifest puts '" + current.name() + "'");
        }
        finish(file);
        phase = Phase.DOCUMENTS;
        return new CollectionStart(current, metadata);
    }

    private Item openDocuments(BackupManifest.Collection current) {
        documentsFile = expect(current.bsonFile(), "the documents of " + current.name());
        if (!readDocuments) {
            finish(documentsFile);
            return end(current, current.documents());
        }
        documents = DumpReader.open(documentsFile.content(), documentsFile.path());
        return nextDocument();
    }

    private Item nextDocument() {
        BackupManifest.Collection current = manifest.collections().get(collection);
        RawBsonDocument document = documents.next();
        if (document != null) {
            return new CollectionDocument(current, document);
        }
        long count = documents.count();
        documents.close();
        documents = null;
        finish(documentsFile);
        if (count != current.documents()) {
            throw new ArchiveCorruptException(documentsFile.path() + ": " + count + " documents, the manifest says "
                    + current.documents());
        }
        return end(current, count);
    }

    private Item end(BackupManifest.Collection current, long count) {
        collection++;
        phase = Phase.METADATA;
        return new CollectionEnd(current, count);
    }

    private void finishArchive() {
        phase = Phase.FINISHED;
        BackupArchive.OpenFile extra = files.next();
        if (extra != null) {
            throw new ArchiveCorruptException(extra.path() + ": in the archive after its last collection; the manifest"
                    + " does not list it there");
        }
        List<String> missing = listed.keySet().stream().filter(path -> !found.contains(path)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new ArchiveCorruptException(String.join(", ", missing) + ": in the manifest but not in the archive");
        }
    }

    /** The next file, which must be the one the manifest puts here. */
    private BackupArchive.OpenFile expect(String path, String what) {
        BackupArchive.OpenFile file = files.next();
        if (file == null) {
            throw new ArchiveCorruptException("The archive ends before " + path + " (" + what + "); it is cut short");
        }
        if (!file.path().equals(path)) {
            throw new ArchiveCorruptException("The archive holds " + file.path() + " where its manifest puts " + path
                    + " (" + what + "); it was altered or not written by this service");
        }
        return file;
    }

    /** Reads the file to its end and compares its size and checksum with the manifest's. */
    private void finish(BackupArchive.OpenFile file) {
        BackupArchive.Entry entry = file.finish();
        found.add(entry.path());
        DumpFile expected = listed.get(entry.path());
        if (expected == null) {
            throw new ArchiveCorruptException(entry.path() + ": in the archive but not in the manifest's files");
        }
        if (expected.bytes() != entry.bytes()) {
            throw new ArchiveCorruptException(entry.path() + ": " + entry.bytes() + " bytes, the manifest says "
                    + expected.bytes());
        }
        if (!expected.sha256().equals(entry.sha256())) {
            throw new ArchiveCorruptException(entry.path() + ": SHA-256 " + entry.sha256() + ", the manifest says "
                    + expected.sha256());
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (IOException ignored) {
            // Only read from: nothing is lost.
        }
    }
}
