package com.phishnet.store.backup;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Names and metadata exactly as {@code mongodump --gzip --out dump} writes them, so that
 * {@code mongorestore --gzip --dir dump} restores an archive of ours. Sources in mongo-tools: file names from
 * {@code common/util} {@code EscapeCollectionName} ({@code url.QueryEscape}), paths from {@code mongodump/prepare.go},
 * metadata from {@code mongodump/metadata_dump.go} ({@code bson.MarshalExtJSON(meta, true, false)}: canonical) and
 * what {@code mongorestore/metadata.go} reads back.
 */
public final class DumpLayout {

    /** mongodump escapes longer names by truncating and hashing them; ours are short, and a long one is refused. */
    static final int MAX_ESCAPED_NAME_BYTES = 238;

    /** Canonical, never relaxed: mongorestore parses metadata canonically and refuses relaxed dates. */
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private DumpLayout() {
    }

    public static String bsonPath(String database, String collection) {
        return BackupArchive.DUMP + database + "/" + escape(collection) + ".bson.gz";
    }

    public static String metadataPath(String database, String collection) {
        return BackupArchive.DUMP + database + "/" + escape(collection) + ".metadata.json.gz";
    }

    /**
     * A collection name as a file name, as Go's {@code url.QueryEscape} writes it: letters, digits and
     * {@code - _ . ~} stay, a space becomes {@code +}, every other UTF-8 byte {@code %XX} in upper-case hex.
     */
    static String escape(String collection) {
        StringBuilder escaped = new StringBuilder();
        for (byte b : collection.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                escaped.append((char) c);
            }
            else if (c == ' ') {
                escaped.append('+');
            }
            else {
                escaped.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        if (escaped.length() > MAX_ESCAPED_NAME_BYTES) {
            throw new IllegalArgumentException("Collection name too long for a dump file name: " + collection);
        }
        return escaped.toString();
    }

    /**
     * A collection's {@code .metadata.json}: {@code options} (left out when empty), {@code indexes} (always an
     * array, without {@code ns}), {@code uuid} (32 lower-case hex digits, left out when unknown),
     * {@code collectionName}, {@code type}, in that order and in canonical Extended JSON.
     *
     * @param collection the collection's entry from {@code listCollections}
     * @param indexes    its specifications from {@code listIndexes}
     */
    public static byte[] metadata(BsonDocument collection, List<BsonDocument> indexes) {
        BsonDocument metadata = new BsonDocument();
        BsonDocument options = collection.getDocument("options", new BsonDocument());
        if (!options.isEmpty()) {
            metadata.append("options", options);
        }
        BsonArray specs = new BsonArray();
        for (BsonDocument index : indexes) {
            BsonDocument spec = index.clone();
            spec.remove("ns");
            specs.add(spec);
        }
        metadata.append("indexes", specs);
        BsonValue uuid = collection.getDocument("info", new BsonDocument()).get("uuid");
        if (uuid instanceof BsonBinary binary && binary.getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
            metadata.append("uuid", new BsonString(HexFormat.of().formatHex(binary.getData())));
        }
        metadata.append("collectionName", collection.get("name"));
        String type = collection.getString("type", new BsonString("collection")).getValue();
        if (!type.isEmpty()) {
            metadata.append("type", new BsonString(type));
        }
        return metadata.toJson(CANONICAL).getBytes(StandardCharsets.UTF_8);
    }
}
