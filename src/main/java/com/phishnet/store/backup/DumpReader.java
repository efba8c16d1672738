package com.phishnet.store.backup;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.bson.BsonBinaryReader;
import org.bson.BsonSerializationException;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;

/**
 * Reads a {@code .bson.gz} file of a dump back: each document is length-checked and fully decoded, so a truncated,
 * altered or foreign file fails with the file and document it failed at, never with a half-read result.
 */
public final class DumpReader {

    /** The server's limit on a document, plus the room mongodump allows for internal documents. */
    static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 + 16 * 1024;

    private static final BsonDocumentCodec DOCUMENTS = new BsonDocumentCodec();

    private DumpReader() {
    }

    /**
     * Hands every document of one gzip stream of concatenated BSON to {@code each}, in order.
     *
     * @param path the file's path in the archive, for the error message
     * @return how many documents it held
     */
    public static long read(InputStream gzipped, String path, Consumer<RawBsonDocument> each) {
        try (Documents documents = open(gzipped, path)) {
            RawBsonDocument document;
            while ((document = documents.next()) != null) {
                each.accept(document);
            }
            return documents.count();
        }
    }

    /**
     * The documents of one gzip stream of concatenated BSON, pulled one at a time: only the document handed out
     * (and the gzip buffer) is held. Blocking IO.
     *
     * @param path the file's path in the archive, for the error message
     */
    public static Documents open(InputStream gzipped, String path) {
        try {
            return new Documents(new GZIPInputStream(gzipped, 64 * 1024), path);
        }
        catch (IOException failure) {
            throw unreadable(failure, path, 0);
        }
    }

    /** See {@link #open}. Closing it closes the stream it reads. */
    public static final class Documents implements Closeable {

        private final InputStream in;
        private final String path;
        private final byte[] header = new byte[4];
        private long count;
        private boolean ended;

        private Documents(InputStream in, String path) {
            this.in = in;
            this.path = path;
        }

        /**
         * The next document, length-checked and fully decoded.
         *
         * @return null after the last one (the gzip trailer, with its CRC, has then been checked)
         */
        public RawBsonDocument next() {
            if (ended) {
                return null;
            }
            try {
                int read = in.readNBytes(header, 0, 4);
                if (read == 0) {
                    ended = true;
                    return null;
                }
                if (read < 4) {
                    throw cutShort(path, count);
                }
                int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (length < 5 || length > MAX_DOCUMENT_BYTES) {
                    throw new ArchiveCorruptException(path + ": document " + (count + 1) + " declares " + length
                            + " bytes, which no BSON document has; the file is altered or not a dump");
                }
                byte[] bytes = new byte[length];
                System.arraycopy(header, 0, bytes, 0, 4);
                if (in.readNBytes(bytes, 4, length - 4) < length - 4) {
                    throw cutShort(path, count);
                }
                RawBsonDocument document = decoded(bytes, path, count + 1);
                count++;
                return document;
            }
            catch (IOException failure) {
                throw unreadable(failure, path, count);
            }
        }

        /** How many documents were handed out so far. */
        public long count() {
            return count;
        }

        @Override
        public void close() {
            try {
                in.close();
            }
            catch (IOException ignored) {
                // Nothing is written through it: closing only frees the inflater.
            }
        }
    }

    private static ArchiveCorruptException unreadable(IOException failure, String path, long documents) {
        if (failure instanceof EOFException) {
            return new ArchiveCorruptException(path + ": the gzip stream ends early after " + documents
                    + " documents; the file is cut short", failure);
        }
        if (failure instanceof ZipException) {
            return new ArchiveCorruptException(path + ": the gzip data is damaged after " + documents + " documents ("
                    + failure.getMessage() + ")", failure);
        }
        return new ArchiveCorruptException(path + ": cannot be read (" + failure.getMessage() + ")", failure);
    }

    private static RawBsonDocument decoded(byte[] bytes, String path, long number) {
        if (bytes[bytes.length - 1] != 0) {
            throw new ArchiveCorruptException(path + ": document " + number + " does not end as BSON does");
        }
        try (BsonBinaryReader reader = new BsonBinaryReader(ByteBuffer.wrap(bytes))) {
            // Decoded whole, not just framed: every field and nested document must parse.
            DOCUMENTS.decode(reader, DecoderContext.builder().build());
            return new RawBsonDocument(bytes);
        }
        catch (BsonSerializationException | org.bson.BsonInvalidOperationException failure) {
            throw new ArchiveCorruptException(path + ": document " + number + " does not decode (" + failure.getMessage()
                    + ")", failure);
        }
    }

    private static ArchiveCorruptException cutShort(String path, long documents) {
        return new ArchiveCorruptException(path + ": cut short inside document " + (documents + 1));
    }
}
