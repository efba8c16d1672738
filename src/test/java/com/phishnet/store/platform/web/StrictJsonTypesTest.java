package com.phishnet.store.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

class StrictJsonTypesTest {

    record Named(String name) {
    }

    record Counted(Integer days, long size) {
    }

    private final JsonMapper strict = strict();

    private static JsonMapper strict() {
        JsonMapper.Builder builder = JsonMapper.builder();
        StrictJsonTypes.apply(builder);
        return builder.build();
    }

    @Test
    void rejectsANumberWhereTextIsExpected() {
        assertThatThrownBy(() -> strict.readValue("{\"name\":12345}", Named.class)).isInstanceOf(JacksonException.class);
    }

    @Test
    void rejectsADecimalWhereTextIsExpected() {
        assertThatThrownBy(() -> strict.readValue("{\"name\":1.5}", Named.class)).isInstanceOf(JacksonException.class);
    }

    @Test
    void rejectsABooleanWhereTextIsExpected() {
        assertThatThrownBy(() -> strict.readValue("{\"name\":true}", Named.class)).isInstanceOf(JacksonException.class);
    }

    @Test
    void stillReadsText() {
        assertThat(strict.readValue("{\"name\":\"ann\"}", Named.class).name()).isEqualTo("ann");
    }

    @Test
    void withoutTheRuleJacksonWouldHaveAcceptedTheNumber() {
        // Shows the rule is what rejects it: the default mapper coerces the number into text.
        assertThat(JsonMapper.builder().build().readValue("{\"name\":12345}", Named.class).name()).isEqualTo("12345");
    }

    @Test
    void rejectsAFractionOrTextWhereAWholeNumberIsExpectedAndStillReadsOne() {
        assertThatThrownBy(() -> strict.readValue("{\"days\":1.5,\"size\":1}", Counted.class)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> strict.readValue("{\"days\":\"30\",\"size\":1}", Counted.class)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> strict.readValue("{\"days\":1,\"size\":2.0}", Counted.class)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> strict.readValue("{\"days\":\"\",\"size\":1}", Counted.class)).isInstanceOf(JacksonException.class);
        assertThat(strict.readValue("{\"days\":30,\"size\":1234}", Counted.class)).isEqualTo(new Counted(30, 1234));
        // Without the rule Jackson truncates: 1.5 days would be 1.
        assertThat(JsonMapper.builder().build().readValue("{\"days\":1.5,\"size\":1}", Counted.class).days()).isEqualTo(1);
    }
}
