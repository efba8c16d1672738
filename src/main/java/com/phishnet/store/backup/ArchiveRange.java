package com.phishnet.store.backup;

import com.phishnet.store.platform.web.ApiException;

/**
 * The part of an archive a download asks for ({@code Range}, RFC 9110 section 14), so a broken download resumes
 * where it stopped. One byte range only: {@code bytes=first-}, {@code bytes=first-last} or {@code bytes=-suffix}.
 * A header this does not understand (another unit, several ranges, bad syntax) is ignored and the whole archive is
 * sent, as RFC 9110 allows; a range wholly past the end is a 416. {@code If-Range} that does not match the archive's
 * entity tag also gets the whole archive: the client's part came from something else.
 *
 * @param range   the {@code Range} header, or null
 * @param ifRange the {@code If-Range} header, or null
 */
public record ArchiveRange(String range, String ifRange) {

    public static final ArchiveRange WHOLE = new ArchiveRange(null, null);

    /** Where to start, how many bytes, and whether that is part of the archive (206) or all of it (200). */
    public record Part(long offset, long length, boolean partial) {
    }

    public Part resolve(long total, String entityTag) {
        Part whole = new Part(0, total, false);
        if (range == null || (ifRange != null && !ifRange.trim().equals(entityTag))) {
            return whole;
        }
        String spec = range.trim();
        if (!spec.regionMatches(true, 0, "bytes=", 0, 6) || spec.indexOf(',') >= 0) {
            return whole;
        }
        spec = spec.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return whole;
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        if (!digits(first) && !(first.isEmpty() && digits(last)) || !last.isEmpty() && !digits(last)) {
            return whole;
        }
        if (first.isEmpty()) {
            long suffix = parse(last);
            if (suffix == 0) {
                throw unsatisfiable(total);
            }
            long length = Math.min(suffix, total);
            return new Part(total - length, length, true);
        }
        long start = parse(first);
        long end = last.isEmpty() ? total - 1 : Math.min(parse(last), total - 1);
        if (!last.isEmpty() && parse(last) < start) {
            return whole;
        }
        if (start >= total) {
            throw unsatisfiable(total);
        }
        return new Part(start, end - start + 1, true);
    }

    private static boolean digits(String value) {
        return !value.isEmpty() && value.length() <= 18 && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long parse(String digits) {
        return Long.parseLong(digits);
    }

    private static ApiException.RangeNotSatisfiable unsatisfiable(long total) {
        return new ApiException.RangeNotSatisfiable("The archive has " + total + " bytes; the range asked for "
                + "starts past its end.", total);
    }
}
