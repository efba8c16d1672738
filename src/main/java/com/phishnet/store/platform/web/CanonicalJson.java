package com.phishnet.store.platform.web;

import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON text per value, whatever the order of its map keys: properties and map entries sorted, annotations
 * ignored (a {@code @JsonIgnore} or a redacting {@code toString} must not change what a request is), instants as
 * ISO-8601 text. For fingerprints of requests, never for responses.
 */
public final class CanonicalJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.USE_ANNOTATIONS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private CanonicalJson() {
    }

    public static String of(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
