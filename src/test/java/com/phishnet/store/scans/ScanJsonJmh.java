package com.phishnet.store.scans;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.phishnet.store.platform.web.StrictInput;
import com.phishnet.store.platform.web.StrictJsonTypes;
import com.phishnet.store.scans.ScanRequests.CursorPage;
import com.phishnet.store.scans.ScanRequests.IngestScan;
import com.phishnet.store.scans.ScanRequests.ScanView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The JSON of a scan, with the {@link JsonMapper} the application's codecs use: Boot's Jackson auto-configuration
 * bound to the application's {@code application.yaml} ({@code spring.jackson.*}) and the service's own customizers
 * ({@link StrictJsonTypes}, {@link StrictInput}). {@link #readIngestScan}: the body of {@code POST /api/v1/scans}
 * (about 1 KB, five indicators) into its record; {@link #ingestRequestHash}: its idempotency fingerprint (canonical
 * JSON + SHA-256, {@code ScanService.requestHash}); {@link #writeScanView}: the scan with its email as the ingest
 * and {@code GET /api/v1/scans/{id}} answer it; {@link #writeScanPage}: a cursor page of 20 scans as
 * {@code GET /api/v1/scans?cursor=} answers it. Run by {@code JmhBenchmark} ({@code ./mvnw -B -Pjmh test}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScanJsonJmh {

    static final String INGEST_JSON = """
            {"userId":"u-7f3c2a",
             "email":{"messageId":"<CAF=2x9Qm1kLp@mail.evil.example>","sender":"billing@evil.example",
                      "recipients":["ann@example.com","bob@example.com","finance@example.com"],
                      "subject":"Action required: your invoice #4471 is overdue",
                      "receivedAt":"2026-12-01T09:00:00Z","sizeBytes":48213,
                      "hashes":{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                "md5":"098f6bcd4621d373cade4e832627b4f6"}},
             "result":{"verdict":"MALICIOUS","score":0.93,
                       "indicators":[
                         {"type":"url","value":"http://login.evil.example/microsoft/verify?session=4471","weight":0.8},
                         {"type":"domain","value":"evil.example","weight":0.6},
                         {"type":"header","value":"spf=fail dkim=none dmarc=fail","weight":0.4},
                         {"type":"attachment","value":"invoice_4471.html","weight":0.7},
                         {"type":"language","value":"urgency","weight":0.3}],
                       "modelVersion":"phish-bert-2026.11","timings":{"parse":3,"model":41,"total":52},
                       "scannedAt":"2026-12-01T09:00:05Z"}}""";
    static final int PAGE_SIZE = 20;

    JsonMapper json;
    byte[] ingestBody;
    IngestScan ingest;
    ScanView view;
    CursorPage<ScanView> page;

    @Setup
    public void setUp() {
        json = applicationJsonMapper();
        ingestBody = INGEST_JSON.getBytes(StandardCharsets.UTF_8);
        ingest = json.readValue(ingestBody, IngestScan.class);
        view = ScanView.of(scanOf(ingest, "01JEXAMPLESCAN0000000000"), emailOf(ingest));
        List<ScanView> items = new ArrayList<>();
        for (int i = 0; i < PAGE_SIZE; i++) {
            items.add(ScanView.of(scanOf(ingest, "01JEXAMPLESCAN00000000%02d".formatted(i)), null));
        }
        page = new CursorPage<>(items, "djF8MTc5NjA4MzYwNTEyM3wwMUpFWEFNUExFU0NBTjAwMDAwMDAwMTl8dj1udWxs.q0Vb3kE4cOq1s2m7yWk0dA");
    }

    @Benchmark
    public IngestScan readIngestScan() {
        return json.readValue(ingestBody, IngestScan.class);
    }

    @Benchmark
    public String ingestRequestHash() {
        return ScanService.requestHash(ingest);
    }

    @Benchmark
    public byte[] writeScanView() {
        return json.writeValueAsBytes(view);
    }

    @Benchmark
    public byte[] writeScanPage() {
        return json.writeValueAsBytes(page);
    }

    /** The JsonMapper bean as the application builds it, minus everything else the application starts. */
    static JsonMapper applicationJsonMapper() {
        AtomicReference<JsonMapper> mapper = new AtomicReference<>();
        new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withUserConfiguration(StrictJsonTypes.class, StrictInput.class)
                .run(context -> mapper.set(context.getBean(JsonMapper.class)));
        return mapper.get();
    }

    private static ScanResult scanOf(IngestScan request, String id) {
        ScanRequests.ResultInput result = request.result();
        return new ScanResult(id, "acme", request.userId(), "01JEXAMPLEMAIL0000000000", request.email().sender(),
                result.verdict(), result.verdict(), result.score(),
                result.indicators().stream()
                        .map(indicator -> new ScanResult.Indicator(indicator.type(), indicator.value(), indicator.weight()))
                        .toList(),
                result.modelVersion(), result.timings(), "idem-4471", ScanService.requestHash(request),
                result.scannedAt(), false, Instant.parse("2026-12-01T09:00:05.200Z"));
    }

    private static EmailMeta emailOf(IngestScan request) {
        ScanRequests.EmailInput email = request.email();
        return new EmailMeta("01JEXAMPLEMAIL0000000000", "acme", request.userId(), email.messageId(), email.sender(),
                "evil.example", email.recipients(), email.subject(), email.receivedAt(), email.sizeBytes(),
                Map.copyOf(email.hashes()), false, Instant.parse("2026-12-01T09:00:05.200Z"));
    }
}
