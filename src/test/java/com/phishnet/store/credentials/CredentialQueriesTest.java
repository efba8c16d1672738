package com.phishnet.store.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;

/** The BSON of the credential queries, as sent to the server. */
class CredentialQueriesTest {

    @Test
    void onlyActiveCredentialsOfTheUserInTheTenantCanBeChanged() {
        assertThat(RenderedBson.filter(CredentialRepository.active("acme", "u-1", "c-1"), Credential.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"userId\": \"u-1\", \"_id\": \"c-1\", \"status\": \"ACTIVE\"}");
    }

    @Test
    void keyRotationSelectsValuesUnderAnyOtherKeyInIdOrder() {
        var query = CredentialRepository.notUnderPrimary("k2", null);

        assertThat(RenderedBson.filter(query, Credential.class)).isEqualTo(
                "{\"$or\": [{\"accessToken.keyId\": {\"$ne\": \"k2\"}}, "
                        + "{\"refreshToken.keyId\": {\"$exists\": true, \"$ne\": \"k2\"}}]}");
        assertThat(RenderedBson.sort(query, Credential.class)).isEqualTo("{\"_id\": 1}");
    }

    @Test
    void keyRotationResumesAfterTheLastIdItProcessed() {
        assertThat(RenderedBson.filter(CredentialRepository.notUnderPrimary("k2", "c-100"), Credential.class))
                .startsWith("{\"$and\": [{\"_id\": {\"$gt\": \"c-100\"}}, {\"$or\": [");
    }
}
