package com.phishnet.store.backup;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import com.phishnet.store.platform.crypto.Sha256;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A backup as one tar: {@code manifest.json} first, then the dump's files under {@code dump/}, so that
 * {@code tar xf} followed by {@code mongorestore --gzip --dir dump} restores it and the service can check the
 * manifest before it reads anything else. Written and read as streams; blocking IO, for a bounded scheduler.
 */
public final class BackupArchive {

    public static final String MANIFEST = "manifest.json";
    public static final String DUMP = "dump/";

    /** What a reader is handed for each file of the archive. */
    @FunctionalInterface
    public interface EntryReader {
        /** Reads the file's bytes (or not: whatever is left is still read, for the checksum). */
        void read(String path, InputStream content) throws IOException;
    }

    /** A file as found in the archive: its size and the SHA-256 of its bytes. */
    public record Entry(String path, long bytes, String sha256) {
    }

    private BackupArchive() {
    }

    /**
     * Writes the staged files into one tar, in the order given.
     *
     * @param staging the directory the paths are relative to
     */
    public static void pack(Path staging, List<String> paths, OutputStream out) {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String path : paths) {
                Path file = staging.resolve(path);
                TarArchiveEntry entry = new TarArchiveEntry(path);
                entry.setSize(Files.size(file));
                entry.setModTime(Files.getLastModifiedTime(file));
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        catch (IOException failure) {
            throw new UncheckedIOException("Cannot write the backup archive", failure);
        }
    }

    /**
     * Reads a tar written by {@link #pack}, handing each file to {@code reader} in order.
     *
     * @return every file with its size and checksum as read
     */
    public static List<Entry> read(InputStream in, EntryReader reader) {
        List<Entry> entries = new ArrayList<>();
        try (Reader files = new Reader(in)) {
            OpenFile file;
            while ((file = files.next()) != null) {
                reader.read(file.path(), file.content());
                entries.add(file.finish());
            }
            return entries;
        }
        catch (IOException failure) {
            throw new ArchiveCorruptException("The archive cannot be read as a tar after " + entries.size()
                    + " files (" + failure.getMessage() + "); it is cut short or altered", failure);
        }
    }

    /**
     * A file's bytes, at most {@code limit} of them: for the small JSON files of an archive, which are read whole.
     *
     * @throws ArchiveCorruptException when the file is larger
     */
    static byte[] readSmall(InputStream content, String path, int limit) throws IOException {
        byte[] bytes = content.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new ArchiveCorruptException(path + ": larger than any file of ours (" + limit + " bytes)");
        }
        return bytes;
    }

    /**
     * The files of a tar written by {@link #pack}, pulled one at a time: each is refused before it is handed out
     * when its path is not one a backup holds, and hashed and size-checked as it is read. Blocking IO.
     */
    public static final class Reader implements Closeable {

        private final TarArchiveInputStream tar;
        private OpenFile current;
        private int finished;

        public Reader(InputStream in) {
            this.tar = new TarArchiveInputStream(in);
        }

        /**
         * Finishes the file handed out before (see {@link OpenFile#finish}) and moves to the next.
         *
         * @return the next file, or null after the last
         */
        public OpenFile next() {
            if (current != null) {
                current.finish();
                finished++;
            }
            TarArchiveEntry entry;
            try {
                entry = tar.getNextEntry();
            }
            catch (IOException failure) {
                throw new ArchiveCorruptException("The archive cannot be read as a tar after " + finished
                        + " files (" + failure.getMessage() + "); it is cut short or altered", failure);
            }
            if (entry == null) {
                current = null;
                return null;
            }
            String path = entry.getName();
            if (!entry.isFile() || !safe(path)) {
                throw new ArchiveCorruptException("The archive holds '" + path
                        + "', which no backup of this service holds; it is not one of ours or it was altered");
            }
            current = new OpenFile(path, entry.getSize(), tar);
            return current;
        }

        @Override
        public void close() throws IOException {
            tar.close();
        }
    }

    /** One file of the archive while it is being read. */
    public static final class OpenFile {

        private final String path;
        private final long size;
        private final MessageDigest digest = Sha256.digest();
        private final CountingInputStream content;
        private Entry entry;

        private OpenFile(String path, long size, InputStream tar) {
            this.path = path;
            this.size = size;
            this.content = new CountingInputStream(new DigestInputStream(new NoClose(tar), digest), path);
        }

        public String path() {
            return path;
        }

        /** The file's bytes as stored; closing it leaves the archive open. */
        public InputStream content() {
            return content;
        }

        /**
         * Reads (and hashes) whatever was left unread and checks that the file was whole.
         *
         * @return its size and checksum as read
         * @throws ArchiveCorruptException when the archive ends inside it
         */
        public Entry finish() {
            if (entry == null) {
                try {
                    content.transferTo(OutputStream.nullOutputStream());
                }
                catch (IOException failure) {
                    throw new ArchiveCorruptException(path + ": the archive is cut short or unreadable inside this file ("
                            + failure.getMessage() + ")", failure);
                }
                if (content.count != size) {
                    throw new ArchiveCorruptException(path + ": the archive is cut short inside this file ("
                            + content.count + " of " + size + " bytes)");
                }
                entry = new Entry(path, content.count, Sha256.hex(digest));
            }
            return entry;
        }
    }

    /** Only the manifest and files under dump/, never a path that could leave the directory it is extracted to. */
    static boolean safe(String path) {
        if (path.equals(MANIFEST)) {
            return true;
        }
        if (!path.startsWith(DUMP) || path.contains("\\") || path.contains("\0")) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** A reader may close what it is handed; the tar stream must stay open for the next file. */
    private static final class NoClose extends FilterInputStream {
        NoClose(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }

    private static final class CountingInputStream extends FilterInputStream {

        private final String path;
        private long count;

        CountingInputStream(InputStream in, String path) {
            super(in);
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            int b = tarRead(() -> super.read());
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int read = tarRead(() -> super.read(bytes, offset, length));
            if (read > 0) {
                count += read;
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes must still be hashed: read them.
            byte[] buffer = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }

        @Override
        public void close() {
        }

        /** The tar failing under a reader is the archive's fault, whatever the reader does with IO errors. */
        private int tarRead(IoRead read) {
            try {
                return read.read();
            }
            catch (IOException failure) {
                throw new ArchiveCorruptException(path + ": the archive is cut short or unreadable inside this file ("
                        + failure.getMessage() + ")", failure);
            }
        }

        @FunctionalInterface
        private interface IoRead {
            int read() throws IOException;
        }
    }
}
