package com.phishnet.archfixture.alpha;

import org.springframework.stereotype.Repository;

@Repository
public class AlphaRepository {

    public AlphaRecord find(String id) {
        return new AlphaRecord(id, AlphaRecord.Kind.PLAIN);
    }
}
