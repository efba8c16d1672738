package com.phishnet.store.support;

import java.util.List;

import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.QueryMapper;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Mono;

/** Asks the real server how it would run a query, exactly as the application's template would send it. */
public final class Explain {

    private Explain() {
    }

    /** The query planner's winning plan for a find with this query on the entity's collection. */
    public static Document winningPlan(ReactiveMongoTemplate template, Query query, Class<?> entity) {
        QueryMapper mapper = new QueryMapper(template.getConverter());
        var persistent = template.getConverter().getMappingContext().getRequiredPersistentEntity(entity);
        Document find = new Document("find", persistent.getCollection())
                .append("filter", mapper.getMappedObject(query.getQueryObject(), persistent))
                .append("sort", mapper.getMappedSort(query.getSortObject(), persistent));
        if (query.getLimit() > 0) {
            find.append("limit", query.getLimit());
        }
        Document explained = template.getMongoDatabase()
                .flatMap(database -> Mono.from(database.runCommand(new Document("explain", find)
                        .append("verbosity", "queryPlanner"))))
                .block();
        return explained.get("queryPlanner", Document.class).get("winningPlan", Document.class);
    }

    /** Every stage name in a plan tree (stage, inputStage, inputStages, queryPlan for the slot-based engine). */
    public static List<String> stages(Document plan) {
        java.util.ArrayList<String> stages = new java.util.ArrayList<>();
        collect(plan, stages);
        return stages;
    }

    private static void collect(Object node, List<String> stages) {
        if (node instanceof Document document) {
            if (document.get("stage") instanceof String stage) {
                stages.add(stage);
            }
            document.values().forEach(value -> collect(value, stages));
        }
        else if (node instanceof List<?> list) {
            list.forEach(value -> collect(value, stages));
        }
    }
}
