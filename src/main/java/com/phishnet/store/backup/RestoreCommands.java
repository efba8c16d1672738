package com.phishnet.store.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The commands that rebuild a collection from its dump metadata, as mongorestore builds them, so that a restore by
 * the service and one by {@code mongorestore --gzip --dir dump} give the same collections. Checked against
 * mongo-tools' {@code mongorestore/restore.go} ({@code RestoreIntent}, {@code RestoreIndexesForNamespace},
 * {@code RestoreCollectionToDB}) and {@code mongorestore/metadata.go} ({@code CreateCollection},
 * {@code createCollectionCommand}, {@code UpdateAutoIndexId}, {@code CreateIndexes}):
 * <ul>
 * <li>{@code create} is the collection's name followed by the metadata's {@code options} as they are (validator,
 *     validationLevel, validationAction, collation, capped, timeseries, clusteredIndex, …); {@code autoIndexId} is
 *     dropped (mongorestore drops it whenever it passes {@code idIndex}, and on 8.2+ always; {@code false} is refused
 *     since 4.0 and {@code true} is the default); the {@code _id_} index goes along as {@code idIndex}, the only way
 *     to give the {@code _id} index its options, except for clustered collections, whose {@code _id} index comes
 *     with the cluster. The dump's {@code uuid} is never passed: mongorestore uses it only with
 *     {@code --preserveUUID}, through {@code applyOps}, and a restored copy must not share its source's UUIDs.</li>
 * <li>{@code createIndexes} has every index but {@code _id_} (built by {@code create}), each spec as dumped
 *     without {@code v} (mongorestore deletes it unless {@code --keepIndexVersion}, so the server builds its current
 *     version) and without {@code ns} (mongorestore rewrites it to the new namespace for servers before 4.4, which
 *     this service does not run on; servers since 4.4 neither need nor list it); every other field (key, name,
 *     unique, sparse, partialFilterExpression, expireAfterSeconds, collation, weights, hidden, …) is kept.
 *     {@code ignoreUnknownIndexOptions: true}, as mongorestore sends it to servers since 4.1.9.</li>
 * <li>Documents of a time-series collection go into its {@code system.buckets.} collection, as mongodump dumps
 *     them, and without {@code bypassDocumentValidation}, which mongorestore withholds from time-series inserts;
 *     all other documents are inserted with it. Backups of this version hold no time series
 *     ({@link SnapshotExporter#isData}); this is for archives that do, and only up to MongoDB 8.2: from 8.3 the
 *     buckets are written through the series' own name with {@code rawData}, as mongo-tools' tests switch on
 *     {@code SupportsRawData}.</li>
 * </ul>
 */
final class RestoreCommands {

    static final String ID_INDEX = "_id_";

    private static final String BUCKETS_PREFIX = "system.buckets.";

    private RestoreCommands() {
    }

    /** The {@code create} command for a collection, from its dump metadata. */
    static BsonDocument create(String collection, BsonDocument metadata) {
        BsonDocument options = options(metadata);
        BsonDocument command = new BsonDocument("create", new BsonString(collection));
        options.forEach((name, value) -> {
            if (!name.equals("autoIndexId")) {
                command.append(name, value);
            }
        });
        if (!options.containsKey("clusteredIndex")) {
            idIndex(metadata).ifPresent(spec -> command.append("idIndex", spec));
        }
        return command;
    }

    /** The {@code createIndexes} command for a collection's secondary indexes; empty when it has none. */
    static Optional<BsonDocument> createIndexes(String collection, BsonDocument metadata) {
        BsonArray specs = new BsonArray();
        for (BsonDocument index : indexes(metadata)) {
            if (!ID_INDEX.equals(name(index))) {
                specs.add(restorable(index));
            }
        }
        if (specs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BsonDocument("createIndexes", new BsonString(collection))
                .append("indexes", specs)
                .append("ignoreUnknownIndexOptions", BsonBoolean.TRUE));
    }

    /** Every index the restored collection will have, {@code _id_} included, by name. */
    static List<String> indexNames(BsonDocument metadata) {
        List<String> names = new ArrayList<>();
        indexes(metadata).forEach(index -> names.add(name(index)));
        return names;
    }

    /** Whether {@code create} will give the collection a validator. */
    static boolean hasValidator(BsonDocument metadata) {
        BsonValue validator = options(metadata).get("validator");
        return validator != null && validator.isDocument() && !validator.asDocument().isEmpty();
    }

    static boolean isTimeSeries(BsonDocument metadata) {
        return "timeseries".equals(metadata.getString("type", new BsonString("")).getValue())
                || options(metadata).containsKey("timeseries");
    }

    /** Where a collection's dumped documents are inserted: its buckets for a time series (see the class comment). */
    static String documentsCollection(String collection, BsonDocument metadata) {
        return isTimeSeries(metadata) ? BUCKETS_PREFIX + collection : collection;
    }

    static boolean bypassesValidation(BsonDocument metadata) {
        return !isTimeSeries(metadata);
    }

    private static Optional<BsonDocument> idIndex(BsonDocument metadata) {
        return indexes(metadata).stream()
                .filter(index -> ID_INDEX.equals(name(index)))
                .findFirst()
                .map(RestoreCommands::restorable);
    }

    /** An index spec as dumped, without the fields the server must fill in for the new collection. */
    private static BsonDocument restorable(BsonDocument index) {
        BsonDocument spec = index.clone();
        spec.remove("v");
        spec.remove("ns");
        return spec;
    }

    private static BsonDocument options(BsonDocument metadata) {
        BsonValue options = metadata.get("options");
        return options != null && options.isDocument() ? options.asDocument() : new BsonDocument();
    }

    private static List<BsonDocument> indexes(BsonDocument metadata) {
        BsonValue indexes = metadata.get("indexes");
        if (indexes == null || !indexes.isArray()) {
            return List.of();
        }
        List<BsonDocument> specs = new ArrayList<>();
        for (BsonValue index : indexes.asArray()) {
            if (!index.isDocument() || !index.asDocument().isString("name")) {
                throw new ArchiveCorruptException("An index of the metadata has no name: " + index);
            }
            specs.add(index.asDocument());
        }
        return specs;
    }

    private static String name(BsonDocument index) {
        return index.getString("name").getValue();
    }
}
