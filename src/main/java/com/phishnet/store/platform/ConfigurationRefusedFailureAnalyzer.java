package com.phishnet.store.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused configuration into a startup message that names the fix. */
public class ConfigurationRefusedFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationRefusedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationRefusedException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
