package com.phishnet.archfixture.beta;

import com.phishnet.archfixture.alpha.AlphaRecord;
import com.phishnet.archfixture.alpha.AlphaRepository;
import com.phishnet.archfixture.alpha.AlphaService;

/** Violates: uses alpha's repository and stored document, and closes the cycle with alpha. */
public class BetaService {

    public AlphaRecord borrow(AlphaRepository repository, AlphaService alpha) {
        return repository.find(alpha.name());
    }
}
