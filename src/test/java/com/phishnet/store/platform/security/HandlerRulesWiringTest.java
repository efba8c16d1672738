package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** The startup check runs in the real application, not only in its own unit test. */
@OfflineApplicationTest
class HandlerRulesWiringTest {

    @Autowired
    ApplicationContext context;

    @Test
    void theApplicationChecksItsHandlersRulesAtStartup() {
        assertThat(context.getBeansOfType(HandlerRules.class)).hasSize(1);
    }
}
