package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.scans.ScanBatchReader.Entry;
import com.phishnet.store.scans.ScanBatchReader.Lines.Line;
import com.phishnet.store.scans.ScanBatchReader.Overflow;
import com.phishnet.store.scans.ScanBatchReader.Ready;
import com.phishnet.store.scans.ScanBatchReader.Rejected;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Reading a batch: the envelope as a whole, items one by one, NDJSON lines however the bytes arrive. */
class ScanBatchReaderTest {

    private static final ScanBatches.Context CONTEXT = new ScanBatches.Context(
            new Caller("scanner-1", "acme", Set.of(), Set.of("scans:write"), "127.0.0.1", "t", "r-1"),
            "/api/v1/scans:batch", "r-1");
    private static final String ITEM = """
            {"idempotencyKey":"k-1","userId":"u-1","email":{"messageId":"<m@x>","sender":"eve@evil.example",
             "recipients":["ann@example.com"],"receivedAt":"2026-01-01T00:00:00Z","sizeBytes":10},
             "result":{"verdict":"CLEAN","score":0.1,"modelVersion":"m-1","scannedAt":"2026-01-01T00:00:01Z"}}"""
            .replace("\n", "");

    private final ScanBatchReader reader = new ScanBatchReader(JsonMapper.builder().build(),
            Validation.buildDefaultValidatorFactory().getValidator(),
            new ScanBatchProperties(8, 3, DataSize.ofMegabytes(16), 3, DataSize.ofBytes(600), 5));

    @Test
    void linesSplitAcrossBuffersAndCrLfAreReassembled() {
        String body = "ab\r\ncd\nef";

        List<Line> lines = Flux.from(ScanBatchReader.Lines.of(chunks(body, 1), 100)).collectList().block();

        assertThat(lines).extracting(line -> new String(line.bytes(), StandardCharsets.UTF_8))
                .containsExactly("ab", "cd", "ef");
        assertThat(lines).extracting(Line::number).containsExactly(1L, 2L, 3L);
    }

    @Test
    void anOverlongLineIsMarkedAndTheNextLineIsReadWhole() {
        List<Line> lines = Flux.from(ScanBatchReader.Lines.of(chunks("x".repeat(25) + "\nok\n", 7), 10))
                .collectList().block();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).bytes()).isNull();
        assertThat(lines.get(0).blank()).isFalse();
        assertThat(new String(lines.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
    }

    @Test
    void ndjsonItemsAreIndexedSkippingBlankLinesAndEachBadLineIsThatItemsInvalid() {
        String body = ITEM + "\n\n  \n{oops\n" + "{\"userId\":\"" + "u".repeat(700) + "\"}\n";
        ScanBatchReader reader = new ScanBatchReader(JsonMapper.builder().build(),
                Validation.buildDefaultValidatorFactory().getValidator(),
                new ScanBatchProperties(8, 3, DataSize.ofMegabytes(16), 10, DataSize.ofBytes(600), 5));

        StepVerifier.create(reader.lines(chunks(body, 13), CONTEXT))
                .assertNext(entry -> assertThat(entry).isInstanceOf(Ready.class)
                        .extracting(Entry::index).isEqualTo(0))
                .assertNext(entry -> {
                    assertThat(entry).isEqualTo(new Rejected(1, 4L, ((Rejected) entry).problem()));
                    assertThat(((Rejected) entry).problem()).containsEntry("status", 400);
                })
                .assertNext(entry -> assertThat(((Rejected) entry).problem()).containsEntry("status", 413)
                        .containsEntry("type", "urn:phishnet:problem:payload-too-large"))
                .verifyComplete();
    }

    @Test
    void anNdjsonBodyPastItsItemLimitEndsWithAnOverflowAndIsReadNoFurther() {
        java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
        // Hidden, as a socket's body is not fusable: a fused synchronous source would be drained to discard on cancel.
        Flux<DataBuffer> body = chunks((ITEM + "\n").repeat(1000), 64).doOnNext(buffer -> read.incrementAndGet()).hide();

        StepVerifier.create(reader.lines(body, CONTEXT))
                .expectNextCount(3)
                .assertNext(entry -> assertThat(entry).isEqualTo(new Overflow(3)))
                .verifyComplete();
        // About 4 items' worth of 64-byte buffers and the splitter's prefetch, out of some 4,700.
        assertThat(read.get()).isLessThan(100);
    }

    @Test
    void blankLinesCountTowardsTheLineLimit() {
        StepVerifier.create(reader.lines(chunks(ITEM + "\n\n\n" + ITEM + "\n", 13), CONTEXT))
                .assertNext(entry -> assertThat(entry).isInstanceOf(Ready.class))
                .assertNext(entry -> assertThat(entry).isEqualTo(new Overflow(1)))
                .verifyComplete();
    }

    @Test
    void aJsonBatchIsReadAndValidatedOffTheCallingThread() {
        Validator real = Validation.buildDefaultValidatorFactory().getValidator();
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Validator recording = (Validator) java.lang.reflect.Proxy.newProxyInstance(Validator.class.getClassLoader(),
                new Class<?>[] {Validator.class}, (proxy, method, arguments) -> {
                    threads.add(Thread.currentThread().getName());
                    return method.invoke(real, arguments);
                });
        ScanBatchReader reader = new ScanBatchReader(JsonMapper.builder().build(), recording,
                new ScanBatchProperties(8, 3, DataSize.ofMegabytes(16), 3, DataSize.ofBytes(600), 5));

        List<Entry> entries = reader.envelopeOffLoop(("{\"items\":[" + ITEM + "]}").getBytes(StandardCharsets.UTF_8),
                CONTEXT).block(java.time.Duration.ofSeconds(5));

        assertThat(entries).hasSize(1);
        assertThat(threads).isNotEmpty().noneMatch(name -> name.equals(Thread.currentThread().getName()))
                .allMatch(name -> name.startsWith("boundedElastic"));
    }

    @Test
    void anInvalidItemListsEveryFieldAsTheSingleRoutesValidationDoes() {
        String item = ITEM.replace("\"userId\":\"u-1\"", "\"userId\":\"\"")
                .replace("[\"ann@example.com\"]", "[\"not-an-address\"]");

        List<Entry> entries = reader.envelope(("{\"items\":[" + item + "]}").getBytes(StandardCharsets.UTF_8), CONTEXT);

        Rejected rejected = (Rejected) entries.get(0);
        assertThat(rejected.problem()).containsEntry("type", "urn:phishnet:problem:validation")
                .containsEntry("detail", "2 fields are invalid.");
        assertThat(rejected.problem().get("errors").toString()).contains("field=email.recipients[0]")
                .contains("field=userId");
    }

    @Test
    void theEnvelopeFailsAsAWholeWhenMalformedEmptyOrTooLong() {
        assertThatThrownBy(() -> envelope("{\"items\":5}")).isInstanceOf(ServerWebInputException.class);
        assertThatThrownBy(() -> envelope("[" + ITEM + "]")).isInstanceOf(ServerWebInputException.class);
        assertThatThrownBy(() -> envelope("{\"items\":[]}")).isInstanceOf(ApiException.InvalidField.class);
        assertThatThrownBy(() -> envelope("{\"items\":[" + String.join(",", ITEM, ITEM, ITEM, ITEM) + "]}"))
                .isInstanceOf(ApiException.TooLarge.class);
        assertThat(envelope("{\"items\":[" + String.join(",", ITEM, ITEM, ITEM) + "]}")).hasSize(3)
                .allMatch(entry -> entry instanceof Ready);
    }

    private List<Entry> envelope(String body) {
        return reader.envelope(body.getBytes(StandardCharsets.UTF_8), CONTEXT);
    }

    /** The body as buffers of {@code size} bytes, as a socket might deliver it. */
    private static Flux<DataBuffer> chunks(String body, int size) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Flux.range(0, (bytes.length + size - 1) / size)
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(java.util.Arrays.copyOfRange(bytes, i * size,
                        Math.min(bytes.length, (i + 1) * size))));
    }
}
