package com.phishnet.archfixture.platform;

import com.phishnet.archfixture.beta.BetaService;

/** Violates: shared code that knows a feature. */
public class SharedHelper {

    public String describe(BetaService beta) {
        return beta.toString();
    }
}
