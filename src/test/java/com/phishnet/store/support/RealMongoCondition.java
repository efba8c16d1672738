package com.phishnet.store.support;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link RequiresRealMongo} test only where {@link RealMongo} found a server. Where a server is expected
 * ({@code PHISHNET_REQUIRE_MONGODB=true}, as in CI) its absence fails the test instead: a skipped tier must not
 * pass for a green one.
 */
public class RealMongoCondition implements ExecutionCondition {

    private static final AtomicBoolean announced = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean required = RealMongo.required(System.getenv());
        ConditionEvaluationResult result = decide(RealMongo.find().map(RealMongo::source).orElse(null),
                RealMongo.unavailableReason(), required);
        if (announced.compareAndSet(false, true)) {
            System.out.println(result.isDisabled() ? result.getReason().orElseThrow()
                    : "MongoDB integration tier: running against " + RealMongo.find().orElseThrow().source());
        }
        return result;
    }

    /**
     * The decision, apart from where the facts come from.
     *
     * @param source where the server came from, null when none was found
     * @throws IllegalStateException when a server is required and none was found: JUnit reports it as a failure
     */
    static ConditionEvaluationResult decide(String source, String unavailableReason, boolean required) {
        if (source != null) {
            return ConditionEvaluationResult.enabled("real MongoDB from " + source);
        }
        if (required) {
            throw new IllegalStateException("MongoDB integration tier REQUIRED (" + RealMongo.REQUIRE_VARIABLE
                    + "=true) but no server is available: " + unavailableReason + " (see README, 'Tests')");
        }
        return ConditionEvaluationResult.disabled("MongoDB integration tier SKIPPED: " + unavailableReason
                + " (see README, 'Tests')");
    }
}
