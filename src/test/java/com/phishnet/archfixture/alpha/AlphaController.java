package com.phishnet.archfixture.alpha;

import org.springframework.web.bind.annotation.RestController;

/** Violates: returns its stored document instead of a view. */
@RestController
public class AlphaController {

    private final AlphaRepository repository = new AlphaRepository();

    public AlphaRecord get(String id) {
        return repository.find(id);
    }
}
