package com.phishnet.store.apikeys;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a key looks like: {@code pnk_} + a 12-character lookup prefix (base32, 60 random bits) + {@code _} + the
 * secret (32 random bytes, base64url without padding: 43 characters); 60 characters in all. The fixed lengths make
 * the parse unambiguous although base64url may contain {@code _}. A value of any other shape is refused before the
 * database is asked anything.
 */
final class ApiKeyFormat {

    static final String MARKER = "pnk_";
    static final int SECRET_BYTES = 32;
    static final int SECRET_LENGTH = 43;
    static final int LENGTH = MARKER.length() + ApiKeyFields.PREFIX_LENGTH + 1 + SECRET_LENGTH;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final Pattern SHAPE = Pattern.compile(MARKER + "(" + ApiKeyFields.PREFIX_PATTERN + ")_([A-Za-z0-9_-]{"
            + SECRET_LENGTH + "})");

    private ApiKeyFormat() {
    }

    /** A presented key split into its lookup prefix and its secret. */
    record Parsed(String prefix, String secret) {

        @Override
        public String toString() {
            return "Parsed[prefix=" + prefix + "]";
        }
    }

    /** A new key: the full text shown once, and its parts. */
    record Generated(String key, String prefix, String secret) {

        @Override
        public String toString() {
            return "Generated[prefix=" + prefix + "]";
        }
    }

    static Generated generate(SecureRandom random) {
        StringBuilder prefix = new StringBuilder(ApiKeyFields.PREFIX_LENGTH);
        for (int i = 0; i < ApiKeyFields.PREFIX_LENGTH; i++) {
            prefix.append(BASE32[random.nextInt(BASE32.length)]);
        }
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Generated(MARKER + prefix + "_" + encoded, prefix.toString(), encoded);
    }

    /** The parts of a well-formed key; null for anything else (null, blank, too long, wrong alphabet). */
    static Parsed parse(String presented) {
        if (presented == null || presented.length() != LENGTH) {
            return null;
        }
        Matcher matcher = SHAPE.matcher(presented);
        return matcher.matches() ? new Parsed(matcher.group(1), matcher.group(2)) : null;
    }
}
