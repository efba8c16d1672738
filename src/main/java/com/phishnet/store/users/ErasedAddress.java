package com.phishnet.store.users;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The address that replaces an erased user's email wherever it stood. It is made from the user id alone, so it says
 * nothing about the address it replaces and cannot be reversed; it is lower case, so it is its own normalised form,
 * and one user id gives one address, so it stays unique under the (tenantId, emailNormalized) unique index.
 * {@code .invalid} is reserved (RFC 2606): no real mailbox has it, and the API refuses it for new users, so no
 * account can hold an erased user's pseudonym before they are erased.
 */
public final class ErasedAddress {

    public static final String DOMAIN = "erased.invalid";

    private ErasedAddress() {
    }

    /**
     * {@code erased-<id>@erased.invalid} for a lower-case id (the service's own UUIDs). An id with upper-case
     * letters would collide with its lower-case twin once normalised, so it is written as hex under another prefix
     * ({@code erased.<hex>}); '.' is no id character, so the two forms never meet.
     */
    public static String of(String userId) {
        String local = userId.equals(userId.toLowerCase(Locale.ROOT)) ? "erased-" + userId
                : "erased." + HexFormat.of().formatHex(userId.getBytes(StandardCharsets.UTF_8));
        return local + "@" + DOMAIN;
    }

    /** Whether an address is in the reserved domain (case-insensitive, surrounding blanks ignored). */
    public static boolean isReserved(String email) {
        return email != null && User.normalizeEmail(email).endsWith("@" + DOMAIN);
    }
}
