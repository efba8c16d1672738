package com.phishnet.archfixture.beta;

import com.phishnet.archfixture.alpha.AlphaRecord;
import com.phishnet.archfixture.alpha.AlphaRepository;
import com.phishnet.archfixture.alpha.AlphaService;

/** Violates: uses alpha's repository, its stored document and a type declared in it, and closes the cycle. */
public class BetaService {

    public boolean plain(AlphaRecord.Kind kind) {
        return kind == AlphaRecord.Kind.PLAIN;
    }

    public AlphaRecord borrow(AlphaRepository repository, AlphaService alpha) {
        return repository.find(alpha.name());
    }
}
