package com.phishnet.store.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;

/** Erasure deletes every credential of the user, revoked ones too: the filter names no status. */
class CredentialErasureQueriesTest {

    @Test
    void erasureDeletesTheUsersCredentialsWhateverTheirStatusWithinTheTenant() {
        assertThat(RenderedBson.filter(CredentialRepository.ofUser("acme", "u-1"), Credential.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"userId\": \"u-1\"}");
    }
}
