package com.phishnet.store.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import com.mongodb.ConnectionString;
import com.phishnet.store.platform.mongo.embedded.EmbeddedMongod;
import de.flapdoodle.embed.mongo.distribution.Version;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * Finds a real MongoDB replica set for the integration tier, once per JVM, in the order the README gives:
 * {@code MONGODB_URI}; a {@code mongod} binary ({@code MONGOD_BINARY} or the {@code PATH}) started here as a
 * single-node replica set in a temporary directory; Testcontainers when Docker is available. There is no
 * fourth option: without a real server the tier is skipped.
 */
public final class RealMongo {

    public static final String REQUIRE_VARIABLE = "PHISHNET_REQUIRE_MONGODB";

    private static final String IMAGE = "mongo:8.0";

    private static RealMongo instance;
    private static String unavailableReason;

    private final String source;
    private final ConnectionString replicaSet;
    private final Supplier<Optional<ConnectionString>> standaloneFactory;

    private RealMongo(String source, ConnectionString replicaSet, Supplier<Optional<ConnectionString>> standaloneFactory) {
        this.source = source;
        this.replicaSet = replicaSet;
        this.standaloneFactory = standaloneFactory;
    }

    /** The server, or empty with {@link #unavailableReason()} set. */
    public static synchronized Optional<RealMongo> find() {
        if (instance == null && unavailableReason == null) {
            instance = locate();
            if (instance == null) {
                unavailableReason = "no MONGODB_URI, no mongod on the PATH (or MONGOD_BINARY), and no Docker-compatible"
                        + " engine";
            }
        }
        return Optional.ofNullable(instance);
    }

    public static synchronized String unavailableReason() {
        return unavailableReason;
    }

    /**
     * Where the server came from, for the build output and the benchmarks' results: "MONGODB_URI" (never the URI,
     * which may hold credentials), the mongod binary with the data directory it was started on, or the container.
     */
    public String source() {
        return source;
    }

    /** The replica set's URI; tests choose their database separately. */
    public String uri() {
        return replicaSet.getConnectionString();
    }

    /** A fresh database name, so tests never share state. */
    public static String newDatabaseName() {
        return "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A standalone (non-replica-set) server, when this source can make one. */
    public Optional<ConnectionString> standalone() {
        return standaloneFactory.get();
    }

    private static RealMongo locate() {
        String uri = System.getenv("MONGODB_URI");
        if (uri != null && !uri.isBlank()) {
            return new RealMongo("MONGODB_URI", new ConnectionString(uri), Optional::empty);
        }
        Optional<Path> binary = EmbeddedMongod.findLocalBinary();
        if (binary.isPresent()) {
            Path data = dataDirectory();
            EmbeddedMongod replicaSet = startLocal(binary.get(), data, "rs-it");
            return new RealMongo("mongod at " + binary.get() + ", data in " + data, replicaSet.connectionString(""),
                    () -> Optional.of(startLocal(binary.get(), dataDirectory(), null).connectionString("")));
        }
        if (dockerAvailable()) {
            MongoDBContainer container = new MongoDBContainer(IMAGE).withReplicaSet();
            container.start();
            return new RealMongo("Testcontainers " + IMAGE, new ConnectionString(container.getReplicaSetUrl("test")),
                    RealMongo::standaloneContainer);
        }
        return null;
    }

    @SuppressWarnings("resource")
    private static Optional<ConnectionString> standaloneContainer() {
        GenericContainer<?> standalone = new GenericContainer<>(IMAGE).withExposedPorts(27017);
        standalone.start();
        return Optional.of(new ConnectionString("mongodb://" + standalone.getHost() + ":"
                + standalone.getMappedPort(27017) + "/?directConnection=true"));
    }

    private static Path dataDirectory() {
        try {
            return Files.createTempDirectory("phishnet-it-mongod");
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot create a temporary directory for mongod", failure);
        }
    }

    private static EmbeddedMongod startLocal(Path binary, Path directory, String replicaSetName) {
        try {
            EmbeddedMongod mongod = EmbeddedMongod.start(new EmbeddedMongod.Settings(Optional.of(binary),
                    Version.Main.V8_0, freePort(), directory, replicaSetName, Duration.ofSeconds(60)));
            Runtime.getRuntime().addShutdownHook(new Thread(mongod::close));
            return mongod;
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot find a free port for mongod", failure);
        }
    }

    /**
     * Asks Testcontainers only where a Docker-compatible engine could plausibly be (see {@link DockerEngines}), so
     * a machine without one gets the single skip line rather than Testcontainers' error report.
     */
    private static boolean dockerAvailable() {
        if (DockerEngines.onThisMachine().isEmpty()) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError unavailable) {
            return false;
        }
    }

    /** {@code PHISHNET_REQUIRE_MONGODB=true} (or 1, yes): a missing server fails the build instead of skipping. */
    public static boolean required(Map<String, String> env) {
        String value = env.get(REQUIRE_VARIABLE);
        return value != null && List.of("true", "1", "yes").contains(value.trim().toLowerCase(Locale.ROOT));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
