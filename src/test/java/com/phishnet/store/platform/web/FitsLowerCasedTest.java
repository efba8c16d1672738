package com.phishnet.store.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.scans.ScanRequests.EmailInput;
import com.phishnet.store.users.UserRequests.CreateUser;
import org.junit.jupiter.api.Test;

/**
 * Addresses are stored lower-cased under a 320-character validator. {@code İ} lower-cases to two characters, so
 * 64 of them in the local part pass {@code @Email @Size(max = 320)} as typed and come out 376 characters long.
 */
class FitsLowerCasedTest {

    private static final String GROWS_WHEN_LOWER_CASED = "İ".repeat(64) + "@" + domainOf(253);

    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void theAddressIsWithinTheInputBoundsAsTyped() {
        assertThat(GROWS_WHEN_LOWER_CASED).hasSizeLessThanOrEqualTo(320);
        assertThat(GROWS_WHEN_LOWER_CASED.toLowerCase(java.util.Locale.ROOT)).hasSizeGreaterThan(320);
    }

    @Test
    void rejectsAUserEmailThatOutgrowsTheStoredBoundWhenLowerCased() {
        Set<ConstraintViolation<CreateUser>> violations = validator.validate(
                new CreateUser(GROWS_WHEN_LOWER_CASED, null, Role.USER, null));

        assertThat(violations).extracting(violation -> violation.getPropertyPath().toString()).containsExactly("email");
    }

    @Test
    void rejectsAScannedSenderAndRecipientThatOutgrowTheStoredBound() {
        Set<ConstraintViolation<EmailInput>> violations = validator.validate(new EmailInput("<m@x>",
                GROWS_WHEN_LOWER_CASED, List.of(GROWS_WHEN_LOWER_CASED), null, Instant.parse("2026-01-01T00:00:00Z"), 1,
                null));

        assertThat(violations).extracting(violation -> violation.getPropertyPath().toString())
                .containsExactlyInAnyOrder("sender", "recipients[0].<list element>");
    }

    @Test
    void acceptsTheLongestPlainAddress() {
        assertThat(validator.validate(new CreateUser("a".repeat(64) + "@" + domainOf(255), null, Role.USER, null)))
                .isEmpty();
    }

    /** A valid domain of exactly {@code length} characters: labels of at most 63, ending in ".example". */
    private static String domainOf(int length) {
        StringBuilder domain = new StringBuilder();
        String tld = ".example";
        while (domain.length() + tld.length() < length) {
            int room = length - tld.length() - domain.length();
            if (domain.length() > 0) {
                domain.append('.');
                room--;
            }
            domain.append("d".repeat(Math.min(63, Math.max(1, room))));
        }
        return domain.append(tld).toString();
    }
}
