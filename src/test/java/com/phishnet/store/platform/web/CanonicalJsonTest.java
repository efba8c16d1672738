package com.phishnet.store.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    record Sample(String zulu, @JsonIgnore String secret, Map<String, Integer> counts, Instant at) {
    }

    @Test
    void sortsPropertiesAndMapKeysIgnoresAnnotationsAndWritesInstantsAsText() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("b", 2);
        counts.put("a", 1);

        assertThat(CanonicalJson.of(new Sample("z", "s", counts, Instant.parse("2026-12-02T10:00:00Z"))))
                .isEqualTo("{\"at\":\"2026-12-02T10:00:00Z\",\"counts\":{\"a\":1,\"b\":2},\"secret\":\"s\",\"zulu\":\"z\"}");
    }
}
