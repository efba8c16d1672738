package com.phishnet.archfixture.alpha;

import org.springframework.data.mongodb.core.mapping.Document;

@Document("alpha")
public record AlphaRecord(String id, Kind kind) {

    public enum Kind { PLAIN }
}
