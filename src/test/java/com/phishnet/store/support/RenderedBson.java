package com.phishnet.store.support;

import java.util.List;

import org.bson.Document;

import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.convert.NoOpDbRefResolver;
import org.springframework.data.mongodb.core.convert.QueryMapper;
import org.springframework.data.mongodb.core.convert.UpdateMapper;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The BSON Spring Data sends for a query or update on an entity, rendered without a server through the same
 * mappers the template uses, so a wrong field name or operator fails a unit test.
 */
public final class RenderedBson {

    private static final MongoMappingContext CONTEXT = new MongoMappingContext();
    private static final MappingMongoConverter CONVERTER = new MappingMongoConverter(NoOpDbRefResolver.INSTANCE, CONTEXT);

    static {
        // As Boot configures them: java.time and the other store-native types are simple values, not entities.
        MongoCustomConversions conversions = new MongoCustomConversions(List.of());
        CONTEXT.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
        CONTEXT.afterPropertiesSet();
        CONVERTER.setCustomConversions(conversions);
        CONVERTER.afterPropertiesSet();
    }

    private RenderedBson() {
    }

    /** The converter the template would use, for code that reads documents a change event carries. */
    public static MappingMongoConverter converter() {
        return CONVERTER;
    }

    /** The document Spring Data writes for an entity, as the server would receive it. */
    public static Document document(Object entity) {
        Document document = new Document();
        CONVERTER.write(entity, document);
        return document;
    }

    /** What Spring Data reads from a stored document. */
    public static <T> T read(Class<T> entity, Document stored) {
        return CONVERTER.read(entity, stored);
    }

    public static String filter(Query query, Class<?> entity) {
        return new QueryMapper(CONVERTER).getMappedObject(query.getQueryObject(), CONTEXT.getPersistentEntity(entity))
                .toJson();
    }

    public static String sort(Query query, Class<?> entity) {
        return new QueryMapper(CONVERTER).getMappedSort(query.getSortObject(), CONTEXT.getPersistentEntity(entity))
                .toJson();
    }

    public static String update(Update update, Class<?> entity) {
        Document mapped = new UpdateMapper(CONVERTER).getMappedObject(update.getUpdateObject(),
                CONTEXT.getPersistentEntity(entity));
        return mapped.toJson();
    }
}
