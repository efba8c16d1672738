package com.phishnet.store.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;

/** Erasure deletes every refresh token of the user, used and revoked ones too: the filter names no status. */
class RefreshTokenErasureQueriesTest {

    @Test
    void erasureDeletesTheUsersTokensWhateverTheirStatusWithinTheTenant() {
        assertThat(RenderedBson.filter(RefreshTokenRepository.ofUser("acme", "u-1"), RefreshToken.class))
                .isEqualTo("{\"tenantId\": \"acme\", \"userId\": \"u-1\"}");
    }
}
