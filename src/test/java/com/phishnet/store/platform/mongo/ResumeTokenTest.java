package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResumeTokenTest {

    /** Seconds 0x69A0F3C1 (2026-02-27T01:30:41Z), increment 5, then the rest of a real insert's token. */
    static final String REAL = "8269A0F3C1000000052B042C0100296E5A1004A1B2C3D4E5F60718293A4B5C6D7E8F9046645F696400"
            + "64679A1B2C3D4E5F60718293A4B0000004";

    static String token(long seconds, long increment, String rest) {
        return String.format("82%08X%08X%s", seconds, increment, rest);
    }

    @Test
    void parseAcceptsAServersTokenAndKeepsItsText() {
        ResumeToken token = ResumeToken.parse(REAL);

        assertThat(token.data()).isEqualTo(REAL);
        assertThat(token.toString()).isEqualTo(REAL);
    }

    @Test
    void parseNormalisesLowerCaseSoBothFormsAreTheSameToken() {
        ResumeToken lower = ResumeToken.parse(REAL.toLowerCase());

        assertThat(lower).isEqualTo(ResumeToken.parse(REAL));
        assertThat(lower.data()).isEqualTo(REAL);
        assertThat(lower.compareTo(ResumeToken.parse(REAL))).isZero();
    }

    @Test
    void parseAcceptsTheShortestTokenWithATimestampAndTheLongestAllowed() {
        assertThat(ResumeToken.parse(token(1, 1, "")).clusterTime()).isEqualTo(Instant.ofEpochSecond(1));
        String longest = token(1, 1, "0".repeat(ResumeToken.MAX_LENGTH - 18));

        assertThat(ResumeToken.parse(longest).data()).hasSize(ResumeToken.MAX_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void parseRejectsAnEmptyToken(String empty) {
        assertThatIllegalArgumentException().isThrownBy(() -> ResumeToken.parse(empty)).withMessage("is empty");
        assertThatIllegalArgumentException().isThrownBy(() -> ResumeToken.parse(null)).withMessage("is empty");
    }

    @Test
    void parseRejectsATokenLongerThanAnyRealOneBeforeLookingAtIt() {
        String tooLong = token(1, 1, "0".repeat(ResumeToken.MAX_LENGTH - 16));

        assertThatIllegalArgumentException().isThrownBy(() -> ResumeToken.parse(tooLong))
                .withMessage("is longer than 2048 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> ResumeToken.parse("x".repeat(5000)))
                .withMessage("is longer than 2048 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8269A0F3C100000005A", "8269A0F3C10000000G2B", "8269A0F3C1 000000052B", "8269A0F3C1-000000052B",
            "8269A0F3C1000000052Ｂ", "{\"_data\":\"82\"}"})
    void parseRejectsAnOddLengthOrAnythingButHexDigits(String malformed) {
        assertThatIllegalArgumentException().isThrownBy(() -> ResumeToken.parse(malformed))
                .withMessageContaining("an even number of hex digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8269A0F3C1000000", "0069A0F3C1000000052B", "1269A0F3C1000000052B04", "82"})
    void parseRejectsATokenThatDoesNotStartWithAClusterTime(String malformed) {
        assertThatIllegalArgumentException().isThrownBy(() -> ResumeToken.parse(malformed))
                .withMessageContaining("no cluster time");
    }

    @Test
    void clusterTimeIsTheTimestampsSeconds() {
        assertThat(ResumeToken.parse(REAL).clusterTime()).isEqualTo(Instant.parse("2026-02-27T01:30:41Z"));
        // The seconds are unsigned: a timestamp past 2038 does not wrap to a negative time.
        assertThat(ResumeToken.parse(token(0xF0000000L, 0, "04")).clusterTime()).isEqualTo(Instant.ofEpochSecond(0xF0000000L));
    }

    @Test
    void tokensOrderByTimestampThenIncrementThenTheRest() {
        ResumeToken earlier = ResumeToken.parse(token(100, 0xFFFFFFFFL, "FF"));
        ResumeToken laterSecond = ResumeToken.parse(token(101, 0, "00"));
        ResumeToken nextIncrement = ResumeToken.parse(token(101, 1, "00"));
        ResumeToken sameTimeFurtherKey = ResumeToken.parse(token(101, 1, "01"));
        ResumeToken sameTimeLongerKey = ResumeToken.parse(token(101, 1, "0100"));

        assertThat(laterSecond.isAfter(earlier)).isTrue();
        assertThat(earlier.isAfter(laterSecond)).isFalse();
        assertThat(nextIncrement.isAfter(laterSecond)).isTrue();
        assertThat(sameTimeFurtherKey.isAfter(nextIncrement)).isTrue();
        assertThat(sameTimeLongerKey.isAfter(sameTimeFurtherKey)).isTrue();
        assertThat(nextIncrement.isAfter(nextIncrement)).isFalse();
        assertThat(earlier.compareTo(nextIncrement)).isNegative();
    }

    @Test
    void hexLettersOrderAboveDigitsLikeTheBytesTheyEncode() {
        // 0xA0 > 0x9F as bytes; lower-case input must order the same once normalised.
        ResumeToken a0 = ResumeToken.parse(token(100, 0, "a0"));
        ResumeToken nineF = ResumeToken.parse(token(100, 0, "9F"));

        assertThat(a0.isAfter(nineF)).isTrue();
    }

    @Test
    void aTokenRoundTripsThroughItsBsonForm() {
        ResumeToken token = ResumeToken.parse(REAL.toLowerCase());

        BsonDocument bson = token.toBson();

        assertThat(bson).isEqualTo(new BsonDocument("_data", new BsonString(REAL)));
        assertThat(ResumeToken.of(bson)).isEqualTo(token);
    }

    @Test
    void aDriverTokenWithoutAStringDataIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ResumeToken.of(new BsonDocument()))
                .withMessageContaining("_data");
        assertThatIllegalArgumentException().isThrownBy(() -> ResumeToken.of(new BsonDocument("_data", new BsonInt32(1))))
                .withMessageContaining("_data");
    }
}
