package com.phishnet.store.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;

/** The test classpath holds Jackson XML (S3Proxy brings it): the API must still read and write JSON only. */
@OfflineApplicationTest
class JsonOnlyCodecsTest {

    @Autowired
    ServerCodecConfigurer codecs;

    @Test
    void noReaderOrWriterTakesAFormatOtherThanJsonEvenWithItsLibraryOnTheClasspath() throws Exception {
        Class.forName("tools.jackson.dataformat.xml.XmlMapper");
        ResolvableType body = ResolvableType.forClass(Map.class);
        for (MediaType other : new MediaType[] {MediaType.APPLICATION_XML, MediaType.TEXT_XML,
                MediaType.parseMediaType("application/x-jackson-smile"), MediaType.APPLICATION_CBOR}) {
            assertThat(codecs.getReaders()).as("readers of %s", other).noneMatch(reader -> reader.canRead(body, other));
            assertThat(codecs.getWriters()).as("writers of %s", other).noneMatch(writer -> writer.canWrite(body, other));
        }
        assertThat(codecs.getReaders()).anyMatch(reader -> reader.canRead(body, MediaType.APPLICATION_JSON));
    }
}
