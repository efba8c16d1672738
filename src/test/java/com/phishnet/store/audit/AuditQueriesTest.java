package com.phishnet.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.phishnet.store.support.RenderedBson;
import org.junit.jupiter.api.Test;

class AuditQueriesTest {

    @Test
    void theChainHeadIsTheHighestSequenceOfTheTenant() {
        var query = AuditRepository.lastQuery("acme");

        assertThat(RenderedBson.filter(query, AuditEntry.class)).isEqualTo("{\"tenantId\": \"acme\"}");
        assertThat(RenderedBson.sort(query, AuditEntry.class)).isEqualTo("{\"seq\": -1}");
        assertThat(query.getLimit()).isEqualTo(1);
    }
}
