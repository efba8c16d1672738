package com.phishnet.store.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a Docker-compatible engine could be listening on this machine. Testcontainers finds DOCKER_HOST,
 * {@code docker.host}/{@code tc.host} in ~/.testcontainers.properties, /var/run/docker.sock, rootless Docker
 * ($XDG_RUNTIME_DIR/docker.sock) and Docker Desktop (~/.docker/run/docker.sock) by itself; the other engines
 * (Podman, Colima, Rancher Desktop, OrbStack, a docker context) it reaches only through
 * {@link EngineSocketStrategy}, which uses what this class finds.
 */
public final class DockerEngines {

    /** An engine: a name for the build output, and the address Testcontainers should use (null: its own default). */
    public record Engine(String name, URI host) {
    }

    private DockerEngines() {
    }

    /** Every hint of an engine, in the order tried; file checks and the environment are injected for tests. */
    public static List<Engine> find(Map<String, String> env, Path home, Predicate<Path> exists) {
        List<Engine> engines = new ArrayList<>();
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            engines.add(new Engine("DOCKER_HOST", null));
        }
        if (exists.test(home.resolve(".testcontainers.properties"))) {
            engines.add(new Engine("~/.testcontainers.properties", null));
        }
        if (exists.test(Path.of("/var/run/docker.sock"))) {
            engines.add(new Engine("/var/run/docker.sock", null));
        }
        if (exists.test(home.resolve(".docker/run/docker.sock"))) {
            engines.add(new Engine("Docker Desktop", null));
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && exists.test(Path.of(runtime, "docker.sock"))) {
            engines.add(new Engine("rootless Docker", null));
        }
        dockerContextHost(env, home, exists).ifPresent(host -> engines.add(new Engine("docker context", host)));
        List<Path> sockets = new ArrayList<>();
        if (runtime != null) {
            sockets.add(Path.of(runtime, "podman", "podman.sock"));
        }
        sockets.add(Path.of("/run/podman/podman.sock"));
        sockets.add(home.resolve(".colima/default/docker.sock"));
        sockets.add(home.resolve(".colima/docker.sock"));
        sockets.add(home.resolve(".rd/docker.sock"));
        sockets.add(home.resolve(".orbstack/run/docker.sock"));
        sockets.stream().filter(exists)
                .forEach(socket -> engines.add(new Engine(socket.toString(), URI.create("unix://" + socket))));
        return engines;
    }

    /** The first engine Testcontainers cannot find by itself, if any. */
    public static Optional<Engine> needingAnAddress(List<Engine> engines) {
        return engines.stream().filter(engine -> engine.host() != null).findFirst();
    }

    public static List<Engine> onThisMachine() {
        return find(System.getenv(), Path.of(System.getProperty("user.home")), Files::exists);
    }

    /**
     * The endpoint of the current docker context other than the default one: DOCKER_CONTEXT or currentContext in
     * ~/.docker/config.json, whose metadata lives in ~/.docker/contexts/meta/&lt;sha256 of its name&gt;/meta.json.
     */
    static Optional<URI> dockerContextHost(Map<String, String> env, Path home, Predicate<Path> exists) {
        try {
            JsonMapper json = JsonMapper.builder().build();
            String context = env.get("DOCKER_CONTEXT");
            Path config = home.resolve(".docker/config.json");
            if ((context == null || context.isBlank()) && exists.test(config)) {
                context = json.readTree(Files.readString(config)).path("currentContext").asString(null);
            }
            if (context == null || context.isBlank() || context.equals("default")) {
                return Optional.empty();
            }
            Path meta = home.resolve(".docker/contexts/meta").resolve(sha256(context)).resolve("meta.json");
            if (!exists.test(meta)) {
                return Optional.empty();
            }
            JsonNode host = json.readTree(Files.readString(meta)).path("Endpoints").path("docker").path("Host");
            return host.isString() ? Optional.of(URI.create(host.asString())) : Optional.empty();
        }
        catch (java.io.IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
