package com.phishnet.store.platform.web;

import java.util.List;
import java.util.Map;

import org.reactivestreams.Publisher;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Decoder;
import org.springframework.core.codec.Encoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.util.MimeType;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The API reads and writes JSON only. Spring registers a Jackson XML, Smile or CBOR codec whenever that format's
 * library is on the classpath, and libraries bring them along (the S3 test server brings XML): without this, an
 * XML body would be read instead of refused with a 415, and {@code Accept: application/xml} answered in XML.
 */
@Configuration(proxyBeanMethods = false)
public class JsonOnlyCodecs {

    @Bean
    WebFluxConfigurer jsonOnly() {
        return new WebFluxConfigurer() {
            @Override
            public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
                ServerCodecConfigurer.ServerDefaultCodecs codecs = configurer.defaultCodecs();
                codecs.jacksonXmlDecoder(NoFormat.INSTANCE);
                codecs.jacksonXmlEncoder(NoFormat.INSTANCE);
                codecs.jacksonSmileDecoder(NoFormat.INSTANCE);
                codecs.jacksonSmileEncoder(NoFormat.INSTANCE);
                codecs.jacksonCborDecoder(NoFormat.INSTANCE);
                codecs.jacksonCborEncoder(NoFormat.INSTANCE);
            }
        };
    }

    /** Reads and writes nothing: in a format's place, the format is unsupported. */
    enum NoFormat implements Decoder<Object>, Encoder<Object> {
        INSTANCE;

        @Override
        public boolean canDecode(ResolvableType elementType, MimeType mimeType) {
            return false;
        }

        @Override
        public Flux<Object> decode(Publisher<DataBuffer> input, ResolvableType elementType, MimeType mimeType,
                Map<String, Object> hints) {
            return Flux.error(new UnsupportedOperationException("not a format of this API"));
        }

        @Override
        public Mono<Object> decodeToMono(Publisher<DataBuffer> input, ResolvableType elementType, MimeType mimeType,
                Map<String, Object> hints) {
            return Mono.error(new UnsupportedOperationException("not a format of this API"));
        }

        @Override
        public List<MimeType> getDecodableMimeTypes() {
            return List.of();
        }

        @Override
        public boolean canEncode(ResolvableType elementType, MimeType mimeType) {
            return false;
        }

        @Override
        public Flux<DataBuffer> encode(Publisher<?> inputStream, DataBufferFactory bufferFactory,
                ResolvableType elementType, MimeType mimeType, Map<String, Object> hints) {
            return Flux.error(new UnsupportedOperationException("not a format of this API"));
        }

        @Override
        public List<MimeType> getEncodableMimeTypes() {
            return List.of();
        }
    }
}
