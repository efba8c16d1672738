package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.mongodb.client.model.IndexModel;
import com.phishnet.store.analytics.MetricFields;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class V015ServiceMetricsIndexTest {

    @Test
    void theMetricsQueryHasAnIndexOfItsEqualityThenItsRange() {
        List<IndexModel> indexes = V015_ServiceMetricsIndex.indexes();

        assertThat(indexes).hasSize(1);
        // The metrics API matches meta.name exactly and timestamp by range; a meta subfield and the time field are
        // what the server allows as a secondary index on a time-series collection.
        assertThat(indexes.get(0).getKeys().toBsonDocument(BsonDocument.class, null).toJson())
                .isEqualTo("{\"meta.name\": 1, \"timestamp\": 1}");
        assertThat(indexes.get(0).getOptions().getName()).isEqualTo(MetricFields.BY_NAME_AND_TIME_INDEX);
        assertThat(indexes.get(0).getOptions().isUnique()).isFalse();
    }
}
