package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.phishnet.store.support.JsonSchemaSubset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documents ValidatorsIT sends are what they claim: each base conforms to its collection's validator, and
 * each rejection breaks exactly the one rule it is named after, so the server cannot reject it for another.
 */
class ValidatorCasesTest {

    @ParameterizedTest
    @MethodSource("com.phishnet.store.migrations.ValidatorCases#collections")
    void eachBaseDocumentConformsToItsValidator(String collection) {
        assertThat(JsonSchemaSubset.violations(ValidatorCases.validators().get(collection),
                ValidatorCases.base(collection))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("com.phishnet.store.migrations.ValidatorCases#rejections")
    void eachRejectionBreaksExactlyTheRuleItIsNamedAfter(ValidatorCases.Rejection rejection) {
        assertThat(JsonSchemaSubset.violations(ValidatorCases.validators().get(rejection.collection()),
                rejection.document()))
                .singleElement().asString().startsWith(rejection.field().isEmpty() ? ":" : "." + rejection.field() + ":");
    }

    @Test
    void everyCollectionWithARejectionHasABase() {
        assertThat(ValidatorCases.rejections()).allMatch(rejection -> ValidatorCases.collections().contains(rejection.collection()));
    }
}
