package com.phishnet.store.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.phishnet.store.migrations.MigrationRunner;
import com.phishnet.store.platform.mongo.ReplicaSetGuard;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The whole application on a random port without a database: the startup check and migrations are replaced
 * and the client points at a port where nothing listens, as does Redis. For wiring, security, validation and
 * handler tests; nothing run this way may depend on MongoDB behaviour. Runs in the {@code local} profile, whose
 * development token endpoint {@link DevTokens} uses.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "phishnet.mongo.embedded.enabled=false",
        "spring.mongodb.uri=mongodb://127.0.0.1:1/phishnet",
        "phishnet.mongo.server-selection-timeout=300ms",
        "phishnet.crypto.dev-keys=true",
        "phishnet.crypto.dev-secrets-file=target/test-data/dev-secrets.properties",
        "spring.data.redis.url=redis://127.0.0.1:1",
        // No database to write the service metrics to: the recorder would only log a failed write each interval.
        "phishnet.metrics.series.enabled=false",
        // Each cached context's event loops otherwise wait Reactor Netty's 2 s quiet period at JVM exit; a dozen
        // contexts then pass Surefire's 30 s exit allowance and the fork is killed.
        "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
@ActiveProfiles("local")
@MockitoBean(types = {ReplicaSetGuard.class, MigrationRunner.class})
public @interface OfflineApplicationTest {
}
