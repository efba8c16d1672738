package com.phishnet.store.platform.time;

import java.time.Clock;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock and id source every feature uses, so expiry, retention and hash chains are testable without sleeping. */
@Configuration(proxyBeanMethods = false)
public class TimeConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    IdSource idSource() {
        return () -> UUID.randomUUID().toString();
    }

    @Bean
    InstanceId instanceId(java.security.SecureRandom random) {
        return InstanceId.ofThisHost(random);
    }
}
