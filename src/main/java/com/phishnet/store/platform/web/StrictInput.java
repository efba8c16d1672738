package com.phishnet.store.platform.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Enums in JSON bodies are read by their exact name: Jackson trims (" ADMIN" is ADMIN) and takes numbers as
 * indexes ("role": 2 is ADMIN) unless {@code spring.jackson.datatype.enum.fail-on-numbers-for-enums} is set
 * (application.yaml). A value that is not exactly a constant's name is a 400, never a guess. Query parameters:
 * {@link ExactEnumParameters}.
 */
@Configuration(proxyBeanMethods = false)
public class StrictInput {

    @Bean
    JsonMapperBuilderCustomizer exactEnumNames() {
        return builder -> builder.addModule(exactEnumNamesModule());
    }

    static SimpleModule exactEnumNamesModule() {
        SimpleModule module = new SimpleModule("phishnet-exact-enum-names");
        module.setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                    BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                return new UntrimmedEnumDeserializer(deserializer);
            }
        });
        return module;
    }

    /** Refuses a string with surrounding white space before the enum deserializer would trim it. */
    static final class UntrimmedEnumDeserializer extends DelegatingDeserializer {

        UntrimmedEnumDeserializer(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new UntrimmedEnumDeserializer(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                String text = parser.getString();
                if (!text.equals(text.strip())) {
                    return context.handleWeirdStringValue(handledType(), text, "not one of the exact names");
                }
            }
            return super.deserialize(parser, context);
        }
    }
}
