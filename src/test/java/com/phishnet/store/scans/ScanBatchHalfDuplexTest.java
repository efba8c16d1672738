package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.phishnet.store.scans.ScanRequests.ScanView;
import com.phishnet.store.scans.ScanService.Ingested;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * A half-duplex client over a real socket: it writes its whole NDJSON body before reading a byte of the answer. The
 * socket buffers on both sides are pinned small (the server's by {@link SmallSocketBuffers}: a fixed
 * {@code SO_RCVBUF}/{@code SO_SNDBUF} also turns off the kernel's autotuning, which could otherwise grow the server's
 * receive buffer to {@code tcp_rmem} max and swallow the whole body whatever the server does), so neither the body
 * nor the answer fits in the buffers between the two. The server must go on reading and processing while nobody reads
 * its results (they wait in memory), and read to the end a body it stopped using; otherwise both sides block on a full
 * socket, and the client's write fails the test after {@link #WRITE_DEADLINE_SECONDS} instead of hanging the build.
 */
@OfflineApplicationTest
@TestPropertySource(properties = {"phishnet.rate-limit.enabled=false", "phishnet.scans.batch.ndjson-max-items=3000"})
class ScanBatchHalfDuplexTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** ndjson-max-items. */
    private static final int MAX_ITEMS = 3000;
    private static final int SOCKET_BUFFER = 8 * 1024;
    private static final int WRITE_DEADLINE_SECONDS = 20;

    @TestConfiguration
    static class SmallSocketBuffers {

        /** Fixed small buffers on the server's accepted connections (inherited from the listening socket). */
        @Bean
        NettyServerCustomizer smallSocketBuffers() {
            return server -> server.option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                    .childOption(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                    .childOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER);
        }
    }

    @MockitoBean
    ScanService scans;

    @Autowired
    WebTestClient http;

    @LocalServerPort
    int port;

    @Test
    void aClientThatSendsItsWholeBodyBeforeReadingGetsEveryResult() throws Exception {
        // ~2 KB per result line: ~6 MB of answer, ~1 MB of body; a few KB of socket buffers on each side.
        stub("s-" + "x".repeat(2000));
        String text = halfDuplex(items(0, MAX_ITEMS));

        assertThat(text).startsWith("HTTP/1.1 200");
        assertThat(text.split("\"status\":\"created\"", -1)).hasSize(MAX_ITEMS + 1);
        assertThat(text).contains("\"items\":" + MAX_ITEMS + ",\"complete\":true");
    }

    @Test
    void aBodyCutOffAtTheItemLimitIsStillReadSoTheClientGetsTheSummary() throws Exception {
        // One item, blank lines up to the limit (they count, and answer nothing), then ~4 MB the server does not use:
        // the answer is a few hundred bytes and fits in the socket buffers, so the server is done with the exchange
        // while the client is still writing. The client sends Connection: close, so the server then closes: with the
        // body unread, that close is a reset, the client's write fails and the summary is lost.
        stub("s-1");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(items(0, 1));
        body.writeBytes("\n".repeat(MAX_ITEMS - 1).getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(items(1, 15_000));
        String text = halfDuplex(body.toByteArray());

        assertThat(text).startsWith("HTTP/1.1 200");
        assertThat(text.split("\"status\":\"created\"", -1)).hasSize(2);
        assertThat(text).contains("\"items\":1,\"complete\":false").contains("\"status\":413");
    }

    private void stub(String scanId) {
        given(scans.ingest(any(), any(), any(), any())).willReturn(Mono.just(new Ingested(view(scanId), false)));
    }

    private static byte[] items(int from, int to) {
        StringBuilder lines = new StringBuilder();
        for (int index = from; index < to; index++) {
            lines.append(JSON.writeValueAsString(ScanBatchRoutesTest.item("hd-" + index, index))).append('\n');
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the whole request, then reads the whole answer; fails when the body cannot be written in time. */
    private String halfDuplex(byte[] body) throws Exception {
        String token = DevTokens.mint(http, "scanner-1", "acme", List.of(), "scans:write");
        String head = "POST " + ScanController.BATCH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/x-ndjson\r\nAccept: application/x-ndjson"
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(SOCKET_BUFFER);
            socket.setSendBufferSize(SOCKET_BUFFER);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
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
            try {
                // The whole body goes out before anything is read.
                written.get(WRITE_DEADLINE_SECONDS, TimeUnit.SECONDS);
            }
            catch (TimeoutException deadlock) {
                fail("The body (" + body.length + " bytes) could not be written in " + WRITE_DEADLINE_SECONDS
                        + " s: the server stopped reading it while the client did not read the answer yet");
            }
            catch (ExecutionException broken) {
                fail("The server broke the connection before the body was written: " + broken.getCause());
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    private static ScanView view(String id) {
        return new ScanView(id, "u-1", "e-1", "eve@evil.example", Verdict.MALICIOUS, Verdict.MALICIOUS, 0.9, List.of(),
                "m-1", Map.of(), Instant.parse("2026-01-01T00:00:01Z"), null);
    }
}
