package com.phishnet.archfixture.platform.two;

import com.phishnet.archfixture.platform.one.One;

public class Two {

    public String name(One one) {
        return one.toString();
    }
}
