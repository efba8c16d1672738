package com.phishnet.store.platform.web;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JSON numbers and booleans are not text: {@code "userId": 12345} or {@code "comment": true} is a client mistake
 * that Jackson would otherwise quietly turn into a string, so it is rejected as a 400 like any other wrong type; and
 * a fraction or a string is no whole number.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonTypes {

    @Bean
    JsonMapperBuilderCustomizer noScalarsAsText() {
        return StrictJsonTypes::apply;
    }

    static void apply(JsonMapper.Builder builder) {
        builder.withCoercionConfig(LogicalType.Textual, text -> text
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
        // Nor is 1.5 or "30" a whole number: Jackson would truncate the one and parse the other.
        builder.withCoercionConfig(LogicalType.Integer, whole -> whole
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }
}
