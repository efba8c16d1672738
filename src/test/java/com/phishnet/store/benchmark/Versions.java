package com.phishnet.store.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.mongodb.reactivestreams.client.MongoClient;
import org.bson.Document;

import org.springframework.boot.SpringBootVersion;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

/** What the figures were measured with: the service's commit, Spring Boot, the driver, the servers. */
final class Versions {

    private static final Duration ASK = Duration.ofSeconds(10);

    private Versions() {
    }

    static Map<String, String> of(MongoClient client, String database, ReactiveStringRedisTemplate redis,
            boolean redisRunning) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("service", commit());
        versions.put("springBoot", SpringBootVersion.getVersion());
        versions.put("mongoDriver", driver());
        Document buildInfo = ask(() -> Mono.from(client.getDatabase(database).runCommand(new Document("buildInfo", 1))));
        versions.put("mongoServer", buildInfo == null ? "unknown" : String.valueOf(buildInfo.get("version")));
        Document hello = ask(() -> Mono.from(client.getDatabase("admin").runCommand(new Document("hello", 1))));
        versions.put("mongoTopology", hello == null ? "unknown" : topology(hello));
        versions.put("redis", redisRunning ? redisVersion(redis) : "not running");
        return versions;
    }

    static String topology(Document hello) {
        if (hello.getString("setName") != null) {
            List<?> hosts = hello.getList("hosts", Object.class, List.of());
            return "replica set " + hello.getString("setName") + " of " + hosts.size() + " data-bearing member"
                    + (hosts.size() == 1 ? "" : "s");
        }
        return "mongos".equals(hello.getString("msg")) ? "sharded cluster (mongos)" : "standalone";
    }

    private static String redisVersion(ReactiveStringRedisTemplate redis) {
        Properties info = ask(() -> redis.execute(connection -> connection.serverCommands().info("server")).next());
        return info == null ? "unknown" : info.getProperty("redis_version", "unknown");
    }

    /** The driver's own record of its version (an internal class: looked up by name, so a move costs only this). */
    private static String driver() {
        try {
            return String.valueOf(Class.forName("com.mongodb.internal.build.MongoDriverVersion").getField("VERSION")
                    .get(null));
        }
        catch (ReflectiveOperationException | LinkageError unknown) {
            String version = MongoClient.class.getPackage().getImplementationVersion();
            return version == null ? "unknown" : version;
        }
    }

    private static String commit() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            if (!git.waitFor(5, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return "unknown";
            }
            String described = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.exitValue() == 0 && !described.isEmpty() ? "commit " + described : "unknown";
        }
        catch (IOException unavailable) {
            return "unknown";
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static <T> T ask(java.util.function.Supplier<Mono<T>> question) {
        try {
            return question.get().block(ASK);
        }
        catch (RuntimeException unanswered) {
            return null;
        }
    }
}
