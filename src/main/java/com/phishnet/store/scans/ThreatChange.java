package com.phishnet.store.scans;

import java.time.Instant;

import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.scans.ScanRepository.ChangedScan;
import com.phishnet.store.scans.ScanRequests.ThreatView;

/** A committed threat, as the threats stream sends it: resume token, commit time, whose it is, and what happened. */
public record ThreatChange(ResumeToken token, Instant committedAt, String tenantId, String userId, ThreatView threat) {

    static ThreatChange of(ChangedScan changed, ThreatView threat) {
        return new ThreatChange(changed.change().token(), changed.change().committedAt(), changed.scan().tenantId(),
                changed.scan().userId(), threat);
    }
}
