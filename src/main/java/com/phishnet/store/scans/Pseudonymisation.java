package com.phishnet.store.scans;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The field rules of a user's erasure in the scan records, as plain functions: {@link ScanRepository} writes the
 * same rules as server-side updates (so a large erasure moves no document through the service), and the unit tests
 * hold both to these.
 * <ul>
 * <li>{@code emails_meta} of the user: recipients become {@code [pseudonym]}, subject is removed, sender (and its
 * domain) become the pseudonym's only when the sender is the person's own address — a third party's address is
 * threat data and stays;</li>
 * <li>{@code scan_results} of the user: sender likewise; an indicator value that contains the person's address in
 * any letter case has it replaced by the pseudonym (the rest of the value, such as a tracking URL's host, stays
 * threat data);</li>
 * <li>{@code feedback} the user wrote: the comment is removed; the corrected verdict stays.</li>
 * </ul>
 */
public final class Pseudonymisation {

    private Pseudonymisation() {
    }

    /**
     * The address as a regular expression matching exactly itself, valid for Java and for the server's PCRE alike:
     * every ASCII character other than a letter or digit is escaped (a backslash before such a character is a literal
     * in both), so no address can inject a pattern.
     */
    static String literalPattern(String address) {
        StringBuilder pattern = new StringBuilder(address.length() * 2);
        address.codePoints().forEach(c -> {
            if (c < 128 && !Character.isLetterOrDigit(c)) {
                pattern.append('\\');
            }
            pattern.appendCodePoint(c);
        });
        return pattern.toString();
    }

    /** Whether the value contains the address in any letter case. */
    static boolean mentions(String value, String address) {
        return value != null && pattern(address).matcher(value).find();
    }

    /**
     * An indicator value after erasure, as the server computes it: the first spelling of the address found in the
     * value is replaced wherever it occurs; if another spelling (another letter case) is still left, the whole value
     * becomes the pseudonym, so no spelling of the address survives.
     */
    static String indicatorValue(String value, String address, String pseudonym) {
        Matcher found = pattern(address).matcher(value == null ? "" : value);
        if (value == null || !found.find()) {
            return value;
        }
        String once = value.replace(found.group(), pseudonym);
        return pattern(address).matcher(once).find() ? pseudonym : once;
    }

    private static Pattern pattern(String address) {
        return Pattern.compile(literalPattern(address), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
