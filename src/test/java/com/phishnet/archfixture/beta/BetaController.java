package com.phishnet.archfixture.beta;

import com.phishnet.archfixture.alpha.AlphaService;

import org.springframework.web.bind.annotation.RestController;

/** Violates: calls another feature's service. */
@RestController
public class BetaController {

    private final AlphaService alpha;

    public BetaController(AlphaService alpha) {
        this.alpha = alpha;
    }

    public String name() {
        return alpha.name();
    }
}
