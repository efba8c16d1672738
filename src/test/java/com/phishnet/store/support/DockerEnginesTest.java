package com.phishnet.store.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the harness looks for a Docker-compatible engine, with the environment and file system injected. */
class DockerEnginesTest {

    private static final Path HOME = Path.of("/home/dev");

    @Test
    void nothingFoundOnAMachineWithoutAnEngine() {
        assertThat(DockerEngines.find(Map.of(), HOME, path -> false)).isEmpty();
    }

    @Test
    void dockerHostIsLeftToTestcontainers() {
        var engines = DockerEngines.find(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"), HOME, path -> false);

        assertThat(engines).extracting(DockerEngines.Engine::name).containsExactly("DOCKER_HOST");
        assertThat(DockerEngines.needingAnAddress(engines)).isEmpty();
    }

    @Test
    void rootlessPodmanIsFoundUnderTheRuntimeDirectory() {
        var engines = DockerEngines.find(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), HOME,
                Set.of(Path.of("/run/user/1000/podman/podman.sock"))::contains);

        assertThat(DockerEngines.needingAnAddress(engines)).hasValueSatisfying(engine ->
                assertThat(engine.host()).isEqualTo(URI.create("unix:///run/user/1000/podman/podman.sock")));
    }

    @Test
    void systemPodmanColimaRancherAndOrbstackAreFound() {
        for (Path socket : new Path[] {Path.of("/run/podman/podman.sock"), HOME.resolve(".colima/default/docker.sock"),
                HOME.resolve(".colima/docker.sock"), HOME.resolve(".rd/docker.sock"), HOME.resolve(".orbstack/run/docker.sock")}) {
            var engines = DockerEngines.find(Map.of(), HOME, Set.of(socket)::contains);

            assertThat(DockerEngines.needingAnAddress(engines)).as(socket.toString())
                    .hasValueSatisfying(engine -> assertThat(engine.host()).isEqualTo(URI.create("unix://" + socket)));
        }
    }

    @Test
    void theStandardSocketComesBeforeTheOthers() {
        var engines = DockerEngines.find(Map.of(), HOME,
                Set.of(Path.of("/var/run/docker.sock"), HOME.resolve(".rd/docker.sock"))::contains);

        assertThat(engines.get(0).name()).isEqualTo("/var/run/docker.sock");
    }

    @Test
    void theCurrentDockerContextGivesItsEndpoint(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\": \"colima\"}");
        // sha256("colima"), as the docker CLI names the context's metadata directory
        Path meta = home.resolve(".docker/contexts/meta/"
                + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest("colima".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        Files.createDirectories(meta);
        Files.writeString(meta.resolve("meta.json"),
                "{\"Name\":\"colima\",\"Endpoints\":{\"docker\":{\"Host\":\"unix:///Users/dev/.colima/default/docker.sock\"}}}");

        var engines = DockerEngines.find(Map.of(), home, Files::exists);

        assertThat(DockerEngines.needingAnAddress(engines)).hasValueSatisfying(engine ->
                assertThat(engine.host()).isEqualTo(URI.create("unix:///Users/dev/.colima/default/docker.sock")));
    }
}
