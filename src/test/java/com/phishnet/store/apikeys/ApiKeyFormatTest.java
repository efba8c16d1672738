package com.phishnet.store.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The key format: what is generated, and which presented values are refused before any lookup. */
class ApiKeyFormatTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aGeneratedKeyIsTheMarkerAPrefixAndA256BitSecret() {
        ApiKeyFormat.Generated generated = ApiKeyFormat.generate(random);

        assertThat(generated.key()).hasSize(60).matches("pnk_[a-z2-7]{12}_[A-Za-z0-9_-]{43}")
                .isEqualTo("pnk_" + generated.prefix() + "_" + generated.secret());
        assertThat(generated.toString()).doesNotContain(generated.secret());
    }

    @Test
    void aGeneratedKeyParsesBackIntoItsPrefixAndSecretEvenWhenTheSecretHoldsUnderscores() {
        for (int i = 0; i < 200; i++) {
            ApiKeyFormat.Generated generated = ApiKeyFormat.generate(random);
            ApiKeyFormat.Parsed parsed = ApiKeyFormat.parse(generated.key());
            assertThat(parsed).isNotNull();
            assertThat(parsed.prefix()).isEqualTo(generated.prefix());
            assertThat(parsed.secret()).isEqualTo(generated.secret());
        }
        assertThat(ApiKeyFormat.parse("pnk_abcdefgh2345_" + "_".repeat(43)))
                .extracting(ApiKeyFormat.Parsed::prefix).isEqualTo("abcdefgh2345");
    }

    @Test
    void prefixesAndSecretsDoNotRepeat() {
        Set<String> prefixes = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ApiKeyFormat.Generated generated = ApiKeyFormat.generate(random);
            prefixes.add(generated.prefix());
            secrets.add(generated.secret());
        }
        assertThat(prefixes).hasSize(1000);
        assertThat(secrets).hasSize(1000);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "pnk_",
            "pnk_abcdefgh2345_",
            // Upper case is not in the prefix alphabet; neither are 0, 1, 8, 9.
            "pnk_ABCDEFGH2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "pnk_abcdefgh0145_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            // One character short, one too many.
            "pnk_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "pnk_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            // Another marker, or none; padding and standard base64 characters.
            "pnx_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1234",
            "pnk_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "pnk_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
            "pnk_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
            " pnk_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "pnk_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
            "pnk_abcdefgh2345-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "Bearer pnk_abcdefgh2345_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "{\"$ne\":null}"})
    void anythingElseIsMalformed(String presented) {
        assertThat(ApiKeyFormat.parse(presented)).isNull();
    }

    @Test
    void aVeryLongValueIsRefusedByItsLengthAlone() {
        assertThat(ApiKeyFormat.parse("pnk_" + "a".repeat(100_000))).isNull();
    }
}
