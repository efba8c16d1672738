package com.phishnet.store.scans;

import java.time.Instant;

import com.phishnet.store.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * What scans report to the statistics kept about them, whoever keeps them. {@link #counted} and {@link #moved}
 * run inside the scan's transaction, so the figures commit or abort with the scan; {@link #committed} runs after
 * the commit, when figures derived from the old counts no longer hold.
 */
public interface ScanStatistics {

    /** A new scan of the user with this verdict; fails with a 404 (aborting the ingestion) for an unknown user. */
    Mono<Void> counted(Caller caller, String userId, Verdict verdict, Instant scannedAt);

    /**
     * Analyst feedback on a scan of the user: moves it from its effective verdict to the corrected one (nothing
     * moves when they are equal) and counts the feedback when it is the analyst's first on that scan.
     */
    Mono<Void> moved(Caller caller, String userId, Verdict from, Verdict to, boolean firstByAnalyst);

    /** The transaction that counted or moved a scan of the user has committed. */
    Mono<Void> committed(Caller caller, String userId);
}
