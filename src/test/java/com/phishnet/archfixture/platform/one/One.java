package com.phishnet.archfixture.platform.one;

import com.phishnet.archfixture.platform.two.Two;

/** Violates: platform's sub-packages one and two need each other. */
public class One {

    public String name(Two two) {
        return two.toString();
    }
}
