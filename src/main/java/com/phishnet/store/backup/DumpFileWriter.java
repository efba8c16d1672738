package com.phishnet.store.backup;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;

import com.phishnet.store.platform.crypto.Sha256;
import org.bson.RawBsonDocument;

/**
 * Writes one collection's documents as mongodump does: the raw BSON of each document, one after another, in a
 * single gzip stream. Counts the documents and hashes the gzip bytes as they reach the file, so nothing is read
 * twice and nothing is held in memory beyond the buffers. Blocking file IO: call it on a bounded scheduler.
 */
public final class DumpFileWriter implements Closeable {

    private static final int BUFFER = 64 * 1024;

    private final String path;
    private final MessageDigest digest;
    private final CountingOutputStream stored;
    private final GZIPOutputStream gzip;
    private long documents;
    private boolean finished;

    /**
     * @param file where the gzip file goes
     * @param path its path inside the archive, as the manifest will name it
     */
    public DumpFileWriter(Path file, String path) {
        this.path = path;
        try {
            this.digest = Sha256.digest();
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.stored = new CountingOutputStream(new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(file), BUFFER), digest));
            this.gzip = new GZIPOutputStream(stored, BUFFER);
        }
        catch (IOException failure) {
            throw new UncheckedIOException("Cannot write " + file, failure);
        }
    }

    /** Appends a document exactly as the server sent it: no decoding, no re-encoding, ciphertext untouched. */
    public void write(RawBsonDocument document) {
        ByteBuffer bytes = document.getByteBuffer().asNIO();
        try {
            if (bytes.hasArray()) {
                gzip.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            }
            else {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                gzip.write(copy);
            }
        }
        catch (IOException failure) {
            throw new UncheckedIOException("Cannot write " + path, failure);
        }
        documents++;
    }

    /** Appends bytes that are not documents (a metadata file's JSON). */
    public void writeBytes(byte[] bytes) {
        try {
            gzip.write(bytes);
        }
        catch (IOException failure) {
            throw new UncheckedIOException("Cannot write " + path, failure);
        }
    }

    /** Ends the gzip stream and closes the file; what was written, as the manifest records it. */
    public DumpFile finish() {
        try {
            gzip.finish();
            gzip.close();
        }
        catch (IOException failure) {
            throw new UncheckedIOException("Cannot write " + path, failure);
        }
        finished = true;
        return new DumpFile(path, documents, stored.count, Sha256.hex(digest));
    }

    /** Closes without finishing (on failure or cancellation); the file is incomplete and must be discarded. */
    @Override
    public void close() {
        if (!finished) {
            try {
                gzip.close();
            }
            catch (IOException ignored) {
                // Already failing: the partial file is thrown away with its staging directory.
            }
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {

        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
