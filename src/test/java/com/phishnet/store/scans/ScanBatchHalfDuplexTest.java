package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.phishnet.store.scans.ScanRequests.ScanView;
import com.phishnet.store.scans.ScanService.Ingested;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * A half-duplex client over a real socket: it writes its whole NDJSON body before reading a byte of the answer, with
 * small socket buffers and large result lines, so the answer cannot fit in the buffers between the two. The server
 * must go on reading and processing while nobody reads its results (they wait in memory); otherwise both sides block
 * on a full socket for ever.
 */
@OfflineApplicationTest
@TestPropertySource(properties = {"phishnet.rate-limit.enabled=false", "phishnet.scans.batch.ndjson-max-items=10000"})
class ScanBatchHalfDuplexTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ITEMS = 3000;

    @MockitoBean
    ScanService scans;

    @Autowired
    WebTestClient http;

    @LocalServerPort
    int port;

    @Test
    void aClientThatSendsItsWholeBodyBeforeReadingGetsEveryResult() throws Exception {
        // ~2 KB per result line: ~6 MB of answer, far more than the socket buffers hold.
        String longId = "s-" + "x".repeat(2000);
        given(scans.ingest(any(), any(), any(), any())).willReturn(Mono.just(new Ingested(view(longId), false)));
        String token = DevTokens.mint(http, "scanner-1", "acme", List.of(), "scans:write");
        StringBuilder lines = new StringBuilder();
        for (int index = 0; index < ITEMS; index++) {
            lines.append(JSON.writeValueAsString(ScanBatchRoutesTest.item("hd-" + index, index))).append('\n');
        }
        byte[] body = lines.toString().getBytes(StandardCharsets.UTF_8);
        String head = "POST " + ScanController.BATCH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/x-ndjson\r\nAccept: application/x-ndjson"
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8 * 1024);
            socket.setSendBufferSize(8 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
                catch (Exception failure) {
                    throw new IllegalStateException(failure);
                }
            });
            // The whole body goes out before anything is read.
            written.get(60, TimeUnit.SECONDS);

            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            String text = response.toString(StandardCharsets.UTF_8);

            assertThat(text).startsWith("HTTP/1.1 200");
            assertThat(text.split("\"status\":\"created\"", -1)).hasSize(ITEMS + 1);
            assertThat(text).contains("\"items\":" + ITEMS + ",\"complete\":true");
        }
    }

    private static ScanView view(String id) {
        return new ScanView(id, "u-1", "e-1", "eve@evil.example", Verdict.MALICIOUS, Verdict.MALICIOUS, 0.9, List.of(),
                "m-1", Map.of(), Instant.parse("2026-01-01T00:00:01Z"), null);
    }
}
