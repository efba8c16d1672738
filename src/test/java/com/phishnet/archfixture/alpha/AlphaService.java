package com.phishnet.archfixture.alpha;

import com.phishnet.archfixture.beta.BetaService;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Service;

/** Violates: a cycle with beta, and a service reaching MongoDB without a repository. */
@Service
public class AlphaService {

    private final ReactiveMongoTemplate mongo;
    private final BetaService beta;

    public AlphaService(ReactiveMongoTemplate mongo, BetaService beta) {
        this.mongo = mongo;
        this.beta = beta;
    }

    public String name() {
        return mongo.toString() + beta;
    }
}
