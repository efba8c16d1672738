package com.phishnet.store.migrations;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import com.mongodb.reactivestreams.client.ClientSession;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import reactor.core.publisher.Flux;

/**
 * A stand-in {@link MongoDatabase} that answers nothing about MongoDB semantics: it only records which
 * privilege action each call a change unit makes would need, per the MongoDB manual's "Privilege Actions".
 * A call it does not know is recorded as unknown, so a new kind of command cannot slip past the check.
 */
final class ActionRecorder {

    /** Database commands sent through {@code runCommand}, by command name. */
    static final Map<String, Set<String>> COMMAND_ACTIONS = Map.of(
            "collMod", Set.of("collMod"),
            "create", Set.of("createCollection"),
            "createIndexes", Set.of("createIndex"),
            "dropIndexes", Set.of("dropIndex"),
            "listCollections", Set.of("listCollections"),
            "listIndexes", Set.of("listIndexes"),
            // Needs no privilege (manual, "hello" and "connectionStatus").
            "hello", Set.of(),
            "connectionStatus", Set.of(),
            "shardCollection", Set.of("enableSharding"));

    /** Collection methods of the reactive driver, by method name. */
    static final Map<String, Set<String>> COLLECTION_ACTIONS = Map.ofEntries(
            Map.entry("find", Set.of("find")),
            Map.entry("countDocuments", Set.of("find")),
            Map.entry("aggregate", Set.of("find")),
            Map.entry("insertOne", Set.of("insert")),
            Map.entry("insertMany", Set.of("insert")),
            // Upserts insert as well as update.
            Map.entry("updateOne", Set.of("update", "insert")),
            Map.entry("updateMany", Set.of("update", "insert")),
            Map.entry("replaceOne", Set.of("update", "insert")),
            Map.entry("deleteOne", Set.of("remove")),
            Map.entry("deleteMany", Set.of("remove")),
            Map.entry("createIndex", Set.of("createIndex")),
            Map.entry("createIndexes", Set.of("createIndex")),
            Map.entry("dropIndex", Set.of("dropIndex")),
            Map.entry("dropIndexes", Set.of("dropIndex")),
            Map.entry("listIndexes", Set.of("listIndexes")));

    private static final Set<String> FLUENT = Set.of("withCodecRegistry", "withReadPreference", "withWriteConcern",
            "withReadConcern", "withTimeout", "withDocumentClass");

    /** How a router answers {@code $listClusterCatalog} on the service database. */
    enum CatalogStage {
        /** MongoDB 8.0.10+: one document per collection, with {@code sharded} and {@code shardKey}. */
        ANSWERS,
        /** Before 8.0.10: "Unrecognized pipeline stage name" (code 40324). */
        UNKNOWN,
        /** A user without {@code listCollections} on the database: Unauthorized (code 13). */
        REFUSED,
        /** An output format without {@code shardKey} (the manual calls the stage's output unstable). */
        SHARDED_WITHOUT_KEY
    }

    /** One index a change unit asked for: its collection, keys and the options the sharding rules care about. */
    record RecordedIndex(String collection, String name, Document keys, boolean unique, boolean partial, Long ttlSeconds) {
    }

    private final Set<String> actions = new TreeSet<>();
    private final List<Document> commands = new ArrayList<>();
    private final List<RecordedIndex> indexes = new ArrayList<>();
    private final List<Document> outputStages = new ArrayList<>();
    private final List<Object> configReads = new ArrayList<>();
    private final boolean router;
    private final Set<String> unknown = new TreeSet<>();
    private final Set<String> created = new TreeSet<>();
    private final Collection<String> existing;
    private final Map<String, Document> configCollections = new java.util.LinkedHashMap<>();
    private CatalogStage catalogStage = CatalogStage.ANSWERS;
    private boolean configReadable = true;
    private int catalogReads;
    private MongoCommandException shardCollectionRefusal;

    /** @param existing the collection names {@code listCollectionNames} reports */
    ActionRecorder(Collection<String> existing) {
        this(existing, false);
    }

    /** @param router whether {@code hello} answers as a mongos router ({@code msg: "isdbgrid"}) */
    ActionRecorder(Collection<String> existing, boolean router) {
        this.existing = existing;
        this.router = router;
    }

    /**
     * Lets config.collections (reached as collection {@code collections}) hold an entry for the namespace, as a
     * sharded cluster records a sharded collection: {@code {_id: namespace, key: key}}.
     */
    ActionRecorder shardedOn(String namespace, Document key) {
        configCollections.put(namespace, new Document("_id", namespace).append("key", key));
        return this;
    }

    /** How {@code $listClusterCatalog} is answered (by default as on 8.0.10+). */
    ActionRecorder catalogStage(CatalogStage answer) {
        this.catalogStage = answer;
        return this;
    }

    /** Every find on config.collections is refused with Unauthorized (code 13), as for the documented migrator roles. */
    ActionRecorder configRefused() {
        this.configReadable = false;
        return this;
    }

    /** Every {@code shardCollection} is refused with this error (e.g. AlreadyInitialized, code 23). */
    ActionRecorder refuseShardCollection(MongoCommandException refusal) {
        this.shardCollectionRefusal = refusal;
        return this;
    }

    /** How many {@code $listClusterCatalog} aggregations ran on the database. */
    int catalogReads() {
        return catalogReads;
    }

    /** The {@code _id} filters of every find on config.collections, in order. */
    List<Object> configReads() {
        return configReads;
    }

    /** Every command sent through {@code runCommand}, in order. */
    List<Document> commands() {
        return commands;
    }

    /** Every index asked for through {@code createIndex}/{@code createIndexes}, in order. */
    List<RecordedIndex> indexes() {
        return indexes;
    }

    /** The last stage of every aggregation that ends in {@code $merge} or {@code $out}. */
    List<Document> outputStages() {
        return outputStages;
    }

    /** A client whose every database is this recorder's. */
    com.mongodb.reactivestreams.client.MongoClient client() {
        return proxy(com.mongodb.reactivestreams.client.MongoClient.class, (self, method, args) -> {
            if (method.getName().equals("getDatabase")) {
                return database();
            }
            unknown.add("MongoClient." + method.getName());
            return null;
        });
    }

    Set<String> actions() {
        return actions;
    }

    Set<String> unknownCalls() {
        return unknown;
    }

    Set<String> createdCollections() {
        return created;
    }

    MongoDatabase database() {
        return proxy(MongoDatabase.class, this::onDatabase);
    }

    private Object onDatabase(Object self, Method method, Object[] args) {
        String name = method.getName();
        switch (name) {
            case "getName":
                return "recorded";
            case "listCollectionNames":
                actions.add("listCollections");
                return publisher(method.getReturnType(), existing);
            case "listCollections":
                actions.add("listCollections");
                return publisher(method.getReturnType(), existing.stream().map(n -> new Document("name", n)).toList());
            case "createCollection":
                actions.add("createCollection");
                created.add((String) withoutSession(args)[0]);
                return publisher(method.getReturnType(), List.of());
            case "runCommand":
                Document command = Document.parse(((Bson) withoutSession(args)[0]).toBsonDocument().toJson());
                String commandName = command.keySet().iterator().next();
                commands.add(command);
                Set<String> needed = COMMAND_ACTIONS.get(commandName);
                if (needed == null) {
                    unknown.add("runCommand " + commandName);
                }
                else {
                    actions.addAll(needed);
                }
                if (commandName.equals("shardCollection") && shardCollectionRefusal != null) {
                    return failing(method.getReturnType(), shardCollectionRefusal);
                }
                Document reply = new Document("ok", 1);
                if (commandName.equals("hello") && router) {
                    reply.append("msg", "isdbgrid");
                }
                return publisher(method.getReturnType(), List.of(reply));
            case "getCollection":
                return collection((String) args[0]);
            case "aggregate":
                return databaseAggregate(method.getReturnType(), withoutSession(args));
            default:
                if (FLUENT.contains(name)) {
                    return self;
                }
                unknown.add("MongoDatabase." + name);
                return Publisher.class.isAssignableFrom(method.getReturnType())
                        ? publisher(method.getReturnType(), List.of()) : null;
        }
    }

    /**
     * A database-level aggregation: only {@code $listClusterCatalog} is known (privilege action listCollections, manual
     * and SERVER-93137, on a database other than admin). Answers per {@link #catalogStage}, with the sharded
     * namespaces given to {@link #shardedOn}.
     */
    private Object databaseAggregate(Class<?> type, Object[] args) {
        Document first = args.length > 0 && args[0] instanceof List<?> pipeline && !pipeline.isEmpty()
                && pipeline.get(0) instanceof Bson stage ? Document.parse(stage.toBsonDocument().toJson()) : new Document();
        if (!first.containsKey("$listClusterCatalog")) {
            unknown.add("MongoDatabase.aggregate " + first.keySet());
            return publisher(type, List.of());
        }
        actions.add("listCollections");
        catalogReads++;
        return switch (catalogStage) {
            case UNKNOWN -> failing(type, refusal(40324, "UnrecognizedPipelineStage",
                    "Unrecognized pipeline stage name: '$listClusterCatalog'"));
            case REFUSED -> failing(type, refusal(13, "Unauthorized", "not authorized on recorded to execute command"));
            case ANSWERS -> publisher(type, configCollections.values().stream()
                    .map(info -> new Document("ns", info.getString("_id")).append("db", "recorded")
                            .append("type", "collection").append("sharded", true).append("shardKey", info.get("key")))
                    .toList());
            case SHARDED_WITHOUT_KEY -> publisher(type, configCollections.values().stream()
                    .map(info -> new Document("ns", info.getString("_id")).append("sharded", true)).toList());
        };
    }

    static MongoCommandException refusal(int code, String codeName, String message) {
        return new MongoCommandException(new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(code))
                .append("codeName", new BsonString(codeName)).append("errmsg", new BsonString(message)),
                new ServerAddress());
    }

    private MongoCollection<?> collection(String collectionName) {
        return proxy(MongoCollection.class, (self, method, args) -> {
            String name = method.getName();
            if (FLUENT.contains(name)) {
                return self;
            }
            if (name.equals("getNamespace") || name.equals("getDocumentClass")) {
                return null;
            }
            Set<String> needed = COLLECTION_ACTIONS.get(name);
            if (needed == null) {
                unknown.add("MongoCollection." + name + " on " + collectionName);
            }
            else {
                actions.addAll(needed);
            }
            if (name.equals("aggregate")) {
                actions.addAll(writesOf(withoutSession(args)));
                outputStage(withoutSession(args)).ifPresent(outputStages::add);
            }
            if (name.equals("createIndexes") || name.equals("createIndex")) {
                recordIndexes(collectionName, withoutSession(args));
            }
            if (name.equals("find") && collectionName.equals("collections") && withoutSession(args).length > 0
                    && withoutSession(args)[0] instanceof Bson filter) {
                Object id = Document.parse(filter.toBsonDocument().toJson()).get("_id");
                configReads.add(id);
                if (!configReadable) {
                    return failing(method.getReturnType(), refusal(13, "Unauthorized",
                            "not authorized on config to execute command { find: \"collections\" }"));
                }
                Document entry = configCollections.get(id);
                return publisher(method.getReturnType(), entry == null ? List.of() : List.of(entry));
            }
            return Publisher.class.isAssignableFrom(method.getReturnType())
                    ? publisher(method.getReturnType(), List.of()) : null;
        });
    }

    private void recordIndexes(String collectionName, Object[] args) {
        List<com.mongodb.client.model.IndexModel> models = new ArrayList<>();
        if (args.length > 0 && args[0] instanceof List<?> list) {
            list.forEach(model -> models.add((com.mongodb.client.model.IndexModel) model));
        }
        else if (args.length > 0 && args[0] instanceof Bson keys) {
            models.add(new com.mongodb.client.model.IndexModel(keys, args.length > 1 && args[1]
                    instanceof com.mongodb.client.model.IndexOptions options ? options
                    : new com.mongodb.client.model.IndexOptions()));
        }
        for (com.mongodb.client.model.IndexModel model : models) {
            com.mongodb.client.model.IndexOptions options = model.getOptions();
            Document keys = Document.parse(model.getKeys().toBsonDocument().toJson());
            indexes.add(new RecordedIndex(collectionName, options.getName(), keys, options.isUnique(),
                    options.getPartialFilterExpression() != null,
                    options.getExpireAfter(java.util.concurrent.TimeUnit.SECONDS)));
        }
    }

    /**
     * What an aggregation's output stage needs besides find (MongoDB manual, $merge and $out access control):
     * $merge inserts and updates its target, $out also removes. Its $lookup stages read with find only.
     */
    private static Set<String> writesOf(Object[] args) {
        if (args.length == 0 || !(args[0] instanceof List<?> pipeline) || pipeline.isEmpty()) {
            return Set.of();
        }
        Object last = pipeline.get(pipeline.size() - 1);
        Set<String> stage = last instanceof Bson bson ? bson.toBsonDocument().keySet() : Set.of();
        if (stage.contains("$merge")) {
            return Set.of("insert", "update");
        }
        return stage.contains("$out") ? Set.of("insert", "update", "remove") : Set.of();
    }

    private static java.util.Optional<Document> outputStage(Object[] args) {
        if (args.length == 0 || !(args[0] instanceof List<?> pipeline) || pipeline.isEmpty()
                || !(pipeline.get(pipeline.size() - 1) instanceof Bson last)) {
            return java.util.Optional.empty();
        }
        Document stage = Document.parse(last.toBsonDocument().toJson());
        return stage.containsKey("$merge") || stage.containsKey("$out") ? java.util.Optional.of(stage)
                : java.util.Optional.empty();
    }

    private static Object[] withoutSession(Object[] args) {
        if (args.length > 0 && args[0] instanceof ClientSession) {
            Object[] rest = new Object[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            return rest;
        }
        return args;
    }

    /** A publisher of the driver's declared type (FindPublisher, ListCollectionNamesPublisher, ...) emitting items. */
    private static Object publisher(Class<?> type, Collection<?> items) {
        List<?> copy = new ArrayList<>(items);
        return proxy(type, (self, method, args) -> {
            if (method.getName().equals("subscribe") && args != null && args.length == 1) {
                @SuppressWarnings({"unchecked", "rawtypes"})
                Subscriber<Object> subscriber = (Subscriber) args[0];
                Flux.fromIterable(copy).subscribe(subscriber);
                return null;
            }
            if (method.getName().equals("first") && method.getReturnType() == Publisher.class) {
                return publisher(Publisher.class, copy.isEmpty() ? List.of() : List.of(copy.get(0)));
            }
            // Fluent options (batchSize, filter, ...) return the publisher itself; toCollection ($merge, $out) an
            // empty publisher of its own.
            if (method.getReturnType().isInstance(self)) {
                return self;
            }
            return method.getReturnType() == Publisher.class ? publisher(Publisher.class, List.of()) : null;
        });
    }

    /** A publisher of the driver's declared type that fails with {@code error}, as a refused command does. */
    private static Object failing(Class<?> type, RuntimeException error) {
        return proxy(type, (self, method, args) -> {
            if (method.getName().equals("subscribe") && args != null && args.length == 1) {
                @SuppressWarnings({"unchecked", "rawtypes"})
                Subscriber<Object> subscriber = (Subscriber) args[0];
                Flux.error(error).subscribe(subscriber);
                return null;
            }
            if (method.getName().equals("first") && method.getReturnType() == Publisher.class) {
                return failing(Publisher.class, error);
            }
            if (method.getReturnType().isInstance(self)) {
                return self;
            }
            return method.getReturnType() == Publisher.class ? failing(Publisher.class, error) : null;
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler handler) {
        InvocationHandler invocation = (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> type.getSimpleName() + " recorder";
                };
            }
            return handler.handle(self, method, args == null ? new Object[0] : args);
        };
        return (T) Proxy.newProxyInstance(ActionRecorder.class.getClassLoader(), new Class<?>[] {type}, invocation);
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Object self, Method method, Object[] args) throws Throwable;
    }
}
