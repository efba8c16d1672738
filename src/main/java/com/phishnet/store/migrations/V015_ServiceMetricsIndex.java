package com.phishnet.store.migrations;

import java.util.List;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.phishnet.store.analytics.MetricFields;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackExecution;
import reactor.core.publisher.Flux;

/**
 * The index the metrics API reads {@code system_metrics} by: one measurement name over a time range. The server's
 * own index on a new time-series collection is on the whole meta field, which a query on {@code meta.name} cannot
 * use. A secondary index on a meta subfield and the time field is allowed on time-series collections. Only
 * createIndexes: within the migrator's roles (MigrationPrivileges).
 */
@ChangeUnit(id = "V015-service-metrics-index", order = "0015", author = "phishnet-store", transactional = false)
public class V015_ServiceMetricsIndex {

    @Execution
    public void apply(MongoDatabase database) {
        Flux.from(database.getCollection(MetricFields.COLLECTION).createIndexes(indexes())).then().block();
    }

    @RollbackExecution
    public void rollback(MongoDatabase database) {
        // An index only speeds reads up; the next run finds it in place.
    }

    static List<IndexModel> indexes() {
        return List.of(new IndexModel(Indexes.ascending(MetricFields.META_NAME, MetricFields.TIMESTAMP),
                new IndexOptions().name(MetricFields.BY_NAME_AND_TIME_INDEX)));
    }
}
