package com.phishnet.store.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real {@code redis-server} process on a free loopback port, for tests that need Redis. Needs Debian's
 * {@code redis-server} (the CI script installs it).
 */
public final class RedisServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start() {
        try {
            return start(RealMongo.freePort());
        }
        catch (IOException failure) {
            throw new IllegalStateException("no free port", failure);
        }
    }

    /** On a given port: to bring a killed server back where clients expect it. */
    public static RedisServer start(int port) {
        String binary = locate();
        try {
            Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            RedisServer server = new RedisServer(process, port);
            server.awaitPong(Duration.ofSeconds(10));
            return server;
        }
        catch (IOException failure) {
            throw new IllegalStateException("could not start " + binary, failure);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server at once, as a crash would. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPong(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                if ("+PONG".equals(reply)) {
                    return;
                }
            }
            catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        close();
        throw new IllegalStateException("redis-server did not answer PING on port " + port);
    }

    private static String locate() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(":")) {
            Path candidate = Path.of(directory, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("redis-server not found: install it (apt-get install -y redis-server)"
                + " to run the Redis tests");
    }
}
