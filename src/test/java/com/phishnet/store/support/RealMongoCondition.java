package com.phishnet.store.support;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs a {@link RequiresRealMongo} test only where {@link RealMongo} found a server. */
public class RealMongoCondition implements ExecutionCondition {

    private static final AtomicBoolean announced = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return RealMongo.find()
                .map(server -> {
                    if (announced.compareAndSet(false, true)) {
                        System.out.println("MongoDB integration tier: running against " + server.source());
                    }
                    return ConditionEvaluationResult.enabled("real MongoDB from " + server.source());
                })
                .orElseGet(() -> {
                    String reason = "MongoDB integration tier SKIPPED: " + RealMongo.unavailableReason()
                            + " (see README, 'Tests')";
                    if (announced.compareAndSet(false, true)) {
                        System.out.println(reason);
                    }
                    return ConditionEvaluationResult.disabled(reason);
                });
    }
}
