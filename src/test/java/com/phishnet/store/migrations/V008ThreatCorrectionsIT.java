package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * V008 on a real replica set: scans stored before it stay valid, a correction may record the verdict it replaced,
 * and only a verdict the service knows.
 */
@RequiresRealMongo
class V008ThreatCorrectionsIT {

    private static final int DOCUMENT_VALIDATION_FAILURE = 121;

    private MongoTestDatabase db;

    @BeforeEach
    void scanStoredBeforeV008() {
        db = MongoTestDatabase.create();
        new V001_CreateCollections().createCollections(db.database());
        new V004_ScanIngestion().apply(db.database());
        Mono.from(db.database().getCollection("scan_results").insertOne(ValidatorCases.base("scan_results"))).block();
        new V008_ThreatCorrections().apply(db.database());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void aScanStoredBeforeV008MayBeCorrectedWithTheVerdictItReplaced() {
        Mono.from(db.database().getCollection("scan_results").updateOne(new Document("_id", "s1"),
                correction("CLEAN", "MALICIOUS"))).block();

        Document corrected = Mono.from(db.database().getCollection("scan_results").find(new Document("_id", "s1")).first())
                .block();
        assertThat(corrected).containsEntry("effectiveVerdict", "CLEAN").containsEntry("correctedFrom", "MALICIOUS");
    }

    @Test
    void aCorrectionFromAVerdictTheServiceDoesNotKnowIsRejected() {
        assertThatThrownBy(() -> Mono.from(db.database().getCollection("scan_results").updateOne(
                new Document("_id", "s1"), correction("CLEAN", "HARMLESS"))).block())
                .isInstanceOfSatisfying(MongoWriteException.class,
                        refused -> assertThat(refused.getCode()).isEqualTo(DOCUMENT_VALIDATION_FAILURE));
    }

    @Test
    void theServerHoldsTheValidatorV008Wrote() {
        Document info = Mono.from(db.database().listCollections().filter(new Document("name", "scan_results")).first())
                .block();

        assertThat(info.get("options", Document.class).get("validator", Document.class))
                .isEqualTo(V008_ThreatCorrections.scans());
    }

    private static Document correction(String to, String from) {
        return new Document("$set", new Document("effectiveVerdict", to).append("correctedFrom", from));
    }
}
