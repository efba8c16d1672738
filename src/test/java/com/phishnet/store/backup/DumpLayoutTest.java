package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/** Checked against mongo-tools' own fixtures and escaping rules. */
class DumpLayoutTest {

    @Test
    void collectionNamesAreEscapedAsGosQueryEscapeDoes() {
        assertThat(DumpLayout.escape("scan_results")).isEqualTo("scan_results");
        // mongorestore's testdata/specialcharacter fixture: the collection "cafés".
        assertThat(DumpLayout.escape("cafés")).isEqualTo("caf%C3%A9s");
        // Where Java's URLEncoder would differ: '*' is escaped, '~' is not.
        assertThat(DumpLayout.escape("a*b~c d$/+.-")).isEqualTo("a%2Ab~c+d%24%2F%2B.-");
        assertThatThrownBy(() -> DumpLayout.escape("x".repeat(239))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filesGoUnderTheDatabaseDirectoryUnescaped() {
        assertThat(DumpLayout.bsonPath("phishnet", "scan_results")).isEqualTo("dump/phishnet/scan_results.bson.gz");
        assertThat(DumpLayout.metadataPath("phishnet", "a b")).isEqualTo("dump/phishnet/a+b.metadata.json.gz");
    }

    @Test
    void metadataMatchesMongorestoresOwnFixture() {
        // mongorestore/testdata/coll_with_index/test/foo.metadata.json, as mongodump wrote it (before "type" existed).
        String fixture = "{\"indexes\":[{\"v\":{\"$numberInt\":\"2\"},\"key\":{\"_id\":{\"$numberInt\":\"1\"}},"
                + "\"name\":\"_id_\"},{\"v\":{\"$numberInt\":\"2\"},\"key\":{\"f\":{\"$numberDouble\":\"1.0\"}},"
                + "\"name\":\"f_1\"}],\"uuid\":\"0679db720f4944de90ae27472664e94a\",\"collectionName\":\"foo\"}";
        BsonDocument listed = BsonDocument.parse("{name: 'foo', type: 'collection', options: {}, info: {readOnly: false}}");
        listed.getDocument("info").append("uuid", new BsonBinary(BsonBinarySubType.UUID_STANDARD,
                HexFormat.of().parseHex("0679db720f4944de90ae27472664e94a")));
        List<BsonDocument> indexes = List.of(
                BsonDocument.parse("{v: 2, key: {_id: 1}, name: '_id_', ns: 'test.foo'}"),
                BsonDocument.parse("{v: 2, key: {f: 1.0}, name: 'f_1', ns: 'test.foo'}"));

        String written = new String(DumpLayout.metadata(listed, indexes), StandardCharsets.UTF_8);
        BsonDocument ours = BsonDocument.parse(written);

        assertThat(ours.keySet()).containsExactly("indexes", "uuid", "collectionName", "type");
        assertThat(ours.getString("type").getValue()).isEqualTo("collection");
        ours.remove("type");
        assertThat(ours).isEqualTo(BsonDocument.parse(fixture));
        assertThat(written).contains("\"$numberInt\": \"2\"").contains("\"$numberDouble\": \"1.0\"").doesNotContain("ns");
    }

    @Test
    void optionsKeepTheValidatorAndComeFirstAndDatesAreCanonical() {
        BsonDocument options = BsonDocument.parse("{validator: {$jsonSchema: {bsonType: 'object', required: ['tenantId']}},"
                + " validationLevel: 'strict', validationAction: 'error'}");
        options.getDocument("validator").append("since", new BsonDateTime(1_790_000_000_000L));
        BsonDocument listed = new BsonDocument("name", new BsonString("users")).append("type", new BsonString("collection"))
                .append("options", options);

        String written = new String(DumpLayout.metadata(listed, List.of()), StandardCharsets.UTF_8);
        BsonDocument ours = BsonDocument.parse(written);

        assertThat(ours.keySet()).containsExactly("options", "indexes", "collectionName", "type");
        assertThat(ours.getDocument("options")).isEqualTo(options);
        assertThat(ours.getArray("indexes")).isEmpty();
        // Relaxed mode would write {"$date": "2026-…"}, which mongorestore refuses.
        assertThat(written).contains("{\"$date\": {\"$numberLong\": \"1790000000000\"}}");
    }
}
