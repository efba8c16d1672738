package com.phishnet.store.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class PageResponseTest {

    private final URI uri = URI.create("http://host/api/v1/scans?verdict=MALICIOUS&page=2&size=10");

    @Test
    void countsPagesRoundingUp() {
        assertThat(PageResponse.of(List.of(), new PageRequest(1, 10), 101, uri).pages()).isEqualTo(11);
        assertThat(PageResponse.of(List.of(), new PageRequest(1, 10), 100, uri).pages()).isEqualTo(10);
        assertThat(PageResponse.of(List.of(), new PageRequest(1, 10), 0, uri).pages()).isZero();
    }

    @Test
    void aMiddlePageLinksEverywhereAndKeepsTheFilters() {
        PageResponse<String> page = PageResponse.of(List.of("x"), new PageRequest(2, 10), 35, uri);

        assertThat(page.links()).containsEntry("first", "/api/v1/scans?verdict=MALICIOUS&page=1&size=10")
                .containsEntry("prev", "/api/v1/scans?verdict=MALICIOUS&page=1&size=10")
                .containsEntry("next", "/api/v1/scans?verdict=MALICIOUS&page=3&size=10")
                .containsEntry("last", "/api/v1/scans?verdict=MALICIOUS&page=4&size=10");
    }

    @Test
    void theFirstPageHasNoPrevAndTheLastNoNext() {
        assertThat(PageResponse.of(List.of(), new PageRequest(1, 10), 35, uri).links()).doesNotContainKey("prev");
        assertThat(PageResponse.of(List.of(), new PageRequest(4, 10), 35, uri).links()).doesNotContainKey("next");
    }

    @Test
    void offsetsAreZeroBased() {
        assertThat(new PageRequest(3, 50).offset()).isEqualTo(100);
    }

    @Test
    void sizeAndPageAreBounded() {
        assertThatThrownBy(() -> new PageRequest(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PageRequest(1, 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PageRequest(1, 1000).size()).isEqualTo(1000);
    }
}
