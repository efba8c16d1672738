package com.phishnet.store.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;

/** The pseudonym of an erased user, the update that erases the account, and what the API refuses around them. */
class ErasedAddressTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    private final Instant now = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void thePseudonymIsMadeOfTheIdAloneAndIsItsOwnNormalisedForm() {
        String id = "0b8f3c1e-6a57-4f6e-9d51-3c2a1b0e9f47";

        assertThat(ErasedAddress.of(id)).isEqualTo("erased-" + id + "@erased.invalid");
        assertThat(User.normalizeEmail(ErasedAddress.of(id))).isEqualTo(ErasedAddress.of(id));
        assertThat(ErasedAddress.of(id).length()).isLessThanOrEqualTo(320);
        assertThat(ErasedAddress.of("a".repeat(64)).length()).isLessThanOrEqualTo(320);
    }

    @Test
    void idsThatDifferOnlyInLetterCaseGetPseudonymsThatStayDistinctOnceNormalised() {
        List<String> pseudonyms = List.of(ErasedAddress.of("abc"), ErasedAddress.of("ABC"), ErasedAddress.of("aBc"));

        assertThat(pseudonyms.stream().map(User::normalizeEmail).distinct()).hasSize(3);
        assertThat(ErasedAddress.of("ABC")).isEqualTo("erased.414243@erased.invalid");
        assertThat(ErasedAddress.of("a".repeat(64).toUpperCase()).length()).isLessThanOrEqualTo(320);
    }

    @Test
    void theErasureUpdateReplacesTheAddressRemovesTheNameAndTheRequestFingerprint() {
        String update = RenderedBson.update(UserRepository.erased("erased-u-1@erased.invalid", now), User.class);

        assertThat(update).isEqualTo("{\"$set\": {\"email\": \"erased-u-1@erased.invalid\", "
                + "\"emailNormalized\": \"erased-u-1@erased.invalid\", \"status\": \"ERASED\", "
                + "\"erasedAt\": {\"$date\": \"2026-12-06T10:00:00Z\"}, \"updatedAt\": {\"$date\": \"2026-12-06T10:00:00Z\"}}, "
                + "\"$unset\": {\"displayName\": 1, \"idempotencyKey\": 1, \"requestHash\": 1}, \"$inc\": {\"version\": 1}}");
    }

    @Test
    void anErasedUserIsNeverMatchedByAnUpdateOrAScanCount() {
        assertThat(RenderedBson.filter(UserRepository.notErased("acme", "u-1"), User.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"_id\": \"u-1\", \"status\": {\"$ne\": \"ERASED\"}}");
    }

    @Test
    void aPatchCannotSetErasedAndANewUserCannotTakeTheReservedDomain() {
        assertThat(VALIDATOR.validate(new UserRequests.UpdateUser(null, UserStatus.ERASED, null)))
                .singleElement().satisfies(violation -> assertThat(violation.getMessage()).contains("ERASED"));
        assertThat(VALIDATOR.validate(new UserRequests.UpdateUser(null, UserStatus.SUSPENDED, null))).isEmpty();
        assertThat(VALIDATOR.validate(new UserRequests.CreateUser(" Erased-X@Erased.Invalid ", null, Role.USER, null)))
                .anySatisfy(violation -> assertThat(violation.getMessage()).contains("reserved"));
        assertThat(VALIDATOR.validate(new UserRequests.CreateUser("ann@example.com", null, Role.USER, null))).isEmpty();
    }
}
