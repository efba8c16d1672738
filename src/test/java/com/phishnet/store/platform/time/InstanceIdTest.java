package com.phishnet.store.platform.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class InstanceIdTest {

    @Test
    void aLongHostNameIsCutSoTheRandomPartStillFits() {
        InstanceId id = InstanceId.of("h".repeat(300), "0123456789ab");

        assertThat(id.value()).hasSize(InstanceId.MAX_LENGTH).endsWith("h-0123456789ab");
    }

    @Test
    void theContainersHostNameComesFirst() {
        assertThat(InstanceId.hostName(Map.of("HOSTNAME", "store-7d9f-x2"))).isEqualTo("store-7d9f-x2");
    }

    @Test
    void twoProcessesOnOneHostGetDifferentIds() {
        var random = new java.security.SecureRandom();
        assertThat(InstanceId.ofThisHost(random)).isNotEqualTo(InstanceId.ofThisHost(random));
    }
}
