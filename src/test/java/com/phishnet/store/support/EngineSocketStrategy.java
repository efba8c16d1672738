package com.phishnet.store.support;

import java.util.Optional;

import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.InvalidConfigurationException;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Lets Testcontainers use a Docker-compatible engine at a socket it does not look for itself (Podman, Colima,
 * Rancher Desktop, OrbStack, a docker context). Testcontainers loads strategies with ServiceLoader
 * (META-INF/services); its own ones come first by priority, so this only matters where they find nothing.
 */
public class EngineSocketStrategy extends DockerClientProviderStrategy {

    private final Optional<DockerEngines.Engine> engine = DockerEngines.needingAnAddress(DockerEngines.onThisMachine());

    @Override
    public String getDescription() {
        return "PhishNet test harness: " + engine.map(DockerEngines.Engine::name).orElse("no engine socket found");
    }

    @Override
    public TransportConfig getTransportConfig() throws InvalidConfigurationException {
        return TransportConfig.builder()
                .dockerHost(engine.orElseThrow(() -> new InvalidConfigurationException("no engine socket")).host())
                .build();
    }

    @Override
    protected boolean isApplicable() {
        return engine.isPresent();
    }

    @Override
    protected boolean isPersistable() {
        return false;
    }

    /** Podman's socket is the same path on both sides; the VM-based engines serve the usual one inside. */
    @Override
    public String getRemoteDockerUnixSocketPath() {
        return engine.map(DockerEngines.Engine::host)
                .filter(host -> host.getPath() != null && host.getPath().contains("podman"))
                .map(java.net.URI::getPath)
                .orElseGet(super::getRemoteDockerUnixSocketPath);
    }

    /** Below Testcontainers' own strategies, so a standard Docker setup wins. */
    @Override
    protected int getPriority() {
        return 10;
    }
}
