package com.phishnet.store.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test that needs a real MongoDB replica set. Where none can be found the test class is
 * skipped, and the build output says so once.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealMongoCondition.class)
public @interface RequiresRealMongo {
}
