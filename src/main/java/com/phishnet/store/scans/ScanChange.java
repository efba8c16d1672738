package com.phishnet.store.scans;

import java.time.Instant;

import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.scans.ScanRepository.ChangedScan;
import com.phishnet.store.scans.ScanRequests.ScanView;

/**
 * A committed scan, as the scans stream sends it: the event's resume token and commit time, what subscribers
 * filter on, and the scan exactly as {@code GET /api/v1/scans/{id}} returns it.
 */
public record ScanChange(ResumeToken token, Instant committedAt, String tenantId, String userId, Verdict verdict,
        double score, ScanView scan) {

    static ScanChange of(ChangedScan changed, ScanView view) {
        ScanResult scan = changed.scan();
        return new ScanChange(changed.change().token(), changed.change().committedAt(), scan.tenantId(), scan.userId(),
                scan.verdict(), scan.score(), view);
    }
}
