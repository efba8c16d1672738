package com.phishnet.store.support.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {

    @Test
    void rendersAHeaderAnAlignmentRowAndTheRows() {
        String table = MarkdownTable.of("path", "calls/s", "ratio").rightAlign(1, 2)
                .row("POST /api/v1/scans", "1,234", "0.83×")
                .row("raw driver", "1,487", null)
                .render();

        assertThat(table).isEqualTo("""
                | path | calls/s | ratio |
                | --- | ---: | ---: |
                | POST /api/v1/scans | 1,234 | 0.83× |
                | raw driver | 1,487 |  |
                """);
    }

    @Test
    void aPipeOrLineBreakInACellCannotBreakTheTable() {
        String table = MarkdownTable.of("note").row("a|b\nc").render();

        assertThat(table).endsWith("| a\\|b c |\n");
    }

    @Test
    void aRowMustFillTheColumns() {
        assertThatThrownBy(() -> MarkdownTable.of("a", "b").row("only one"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
