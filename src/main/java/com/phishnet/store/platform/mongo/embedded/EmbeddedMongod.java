package com.phishnet.store.platform.mongo.embedded;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.mongodb.ConnectionString;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.phishnet.store.platform.mongo.MongoUnavailableException;
import de.flapdoodle.embed.mongo.commands.MongodArguments;
import de.flapdoodle.embed.mongo.config.Net;
import de.flapdoodle.embed.mongo.config.Storage;
import de.flapdoodle.embed.mongo.distribution.Version;
import de.flapdoodle.embed.mongo.transitions.Mongod;
import de.flapdoodle.embed.mongo.transitions.RunningMongodProcess;
import de.flapdoodle.embed.mongo.types.DatabaseDir;
import de.flapdoodle.embed.process.archives.ExtractedFileSet;
import de.flapdoodle.embed.process.config.DownloadConfig;
import de.flapdoodle.embed.process.config.TimeoutConfig;
import de.flapdoodle.embed.process.io.ProcessOutput;
import de.flapdoodle.embed.process.io.Processors;
import de.flapdoodle.embed.process.io.Slf4jLevel;
import de.flapdoodle.embed.process.io.progress.ProgressListener;
import de.flapdoodle.embed.process.transitions.DownloadPackage;
import de.flapdoodle.embed.process.types.ProcessConfig;
import de.flapdoodle.reverse.TransitionWalker;
import de.flapdoodle.reverse.transitions.Start;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A real {@code mongod} that this process starts and stops: a local binary when one is given, otherwise one
 * that flapdoodle downloads once and caches. It runs as a single-node replica set (initiated here on first
 * start) or, for tests of the startup check, as a standalone server.
 * <p>
 * Used by the embedded default and by the integration-test harness. Everything here runs at startup, where
 * blocking is the point: nothing may use the database before it is ready.
 */
public final class EmbeddedMongod implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongod.class);
    private static final int ALREADY_INITIALIZED = 23;
    private static final Duration CONFIG_LOAD_GRACE = Duration.ofSeconds(10);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(10);

    private final TransitionWalker.ReachedState<RunningMongodProcess> process;
    private final Settings settings;

    private EmbeddedMongod(TransitionWalker.ReachedState<RunningMongodProcess> process, Settings settings) {
        this.process = process;
        this.settings = settings;
    }

    /**
     * What to start.
     *
     * @param binary         a local mongod; empty means download the given version
     * @param replicaSetName null for a standalone server
     */
    public record Settings(Optional<Path> binary, Version.Main version, int port, Path dataDirectory,
            String replicaSetName, Duration startupTimeout) {
    }

    /** Starts mongod and, for a replica set, waits until it has a writable primary. */
    public static EmbeddedMongod start(Settings settings) {
        requireFreePort(settings.port());
        TransitionWalker.ReachedState<RunningMongodProcess> process;
        boolean freshDirectory;
        try {
            freshDirectory = isEmptyOrMissing(settings.dataDirectory());
            Files.createDirectories(settings.dataDirectory());
            process = mongod(settings).start(settings.version());
        }
        catch (IOException | RuntimeException failure) {
            throw new MongoUnavailableException(describeStartFailure(settings, failure), failure);
        }
        EmbeddedMongod mongod = new EmbeddedMongod(process, settings);
        try {
            if (settings.replicaSetName() != null) {
                mongod.initiateReplicaSet(freshDirectory);
            }
        }
        catch (RuntimeException failure) {
            mongod.close();
            throw failure;
        }
        log.info("Local MongoDB {} listening on 127.0.0.1:{} with data in {}",
                settings.replicaSetName() != null ? "replica set '" + settings.replicaSetName() + "'" : "(standalone)",
                settings.port(), settings.dataDirectory().toAbsolutePath());
        return mongod;
    }

    /** A mongod binary named by {@code MONGOD_BINARY}, or the first {@code mongod} on the {@code PATH}. */
    public static Optional<Path> findLocalBinary() {
        String named = System.getenv("MONGOD_BINARY");
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(Files::isExecutable);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return List.of(path.split(File.pathSeparator)).stream()
                .map(directory -> Path.of(directory, "mongod"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Connection string of this server: a replica-set URI, or a direct connection for a standalone one. */
    public ConnectionString connectionString(String database) {
        String address = "127.0.0.1:" + settings.port();
        String options = settings.replicaSetName() != null
                ? "?replicaSet=" + settings.replicaSetName()
                : "?directConnection=true";
        return new ConnectionString("mongodb://" + address + "/" + database + options);
    }

    @Override
    public void close() {
        process.close();
    }

    private static Mongod mongod(Settings settings) {
        var arguments = MongodArguments.defaults().withUseDefaultSyncDelay(true);
        if (settings.replicaSetName() != null) {
            arguments = arguments.withReplication(Storage.of(settings.replicaSetName(), 0));
        }
        Logger mongodLog = LoggerFactory.getLogger("mongod");
        var builder = Mongod.builder()
                .net(Start.to(Net.class).initializedWith(Net.of("127.0.0.1", settings.port(), false)))
                .mongodArguments(Start.to(MongodArguments.class).initializedWith(arguments))
                .databaseDir(Start.to(DatabaseDir.class).initializedWith(DatabaseDir.of(settings.dataDirectory())))
                // A JVM killed without close() must not leave an orphaned mongod holding the data directory.
                .processConfig(Start.to(ProcessConfig.class).initializedWith(
                        ProcessConfig.defaults().withDaemonProcess(true)))
                .processOutput(Start.to(ProcessOutput.class).initializedWith(ProcessOutput.builder()
                        .output(Processors.named("mongod", Processors.logTo(mongodLog, Slf4jLevel.DEBUG)))
                        .error(Processors.named("mongod", Processors.logTo(mongodLog, Slf4jLevel.WARN)))
                        .commands(Processors.logTo(mongodLog, Slf4jLevel.DEBUG))
                        .build()))
                .progressListener(Start.to(ProgressListener.class).initializedWith(new LoggingProgress()))
                .downloadPackage(DownloadPackage.withDefaults().withDownloadConfig(DownloadConfig.defaults()
                        .withTimeoutConfig(TimeoutConfig.builder()
                                .connectionTimeout((int) DOWNLOAD_TIMEOUT.toMillis())
                                .readTimeout((int) DOWNLOAD_TIMEOUT.toMillis())
                                .build())));
        settings.binary().ifPresent(binary -> builder.extractPackage(Start.to(ExtractedFileSet.class)
                .initializedWith(ExtractedFileSet.builder(binary.getParent()).executable(binary).build())));
        return builder.build();
    }

    /**
     * A fresh data directory is initiated at once. An existing one normally holds its replica-set configuration,
     * which the server loads by itself shortly after it starts listening; initiating then would race that load.
     * So an existing directory is initiated only if, after a grace period, the member still reports that it
     * has no configuration (an earlier first start that died before initiating).
     */
    private void initiateReplicaSet(boolean freshDirectory) {
        ConnectionString direct = new ConnectionString("mongodb://127.0.0.1:" + settings.port() + "/?directConnection=true");
        try (MongoClient client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(direct).build())) {
            Instant initiateAfter = Instant.now().plus(freshDirectory ? Duration.ZERO : CONFIG_LOAD_GRACE);
            Instant deadline = Instant.now().plus(settings.startupTimeout());
            while (Instant.now().isBefore(deadline)) {
                Document hello = command(client, new Document("hello", 1)).block(settings.startupTimeout());
                if (hello != null && Boolean.TRUE.equals(hello.getBoolean("isWritablePrimary"))) {
                    return;
                }
                boolean configured = hello != null && hello.getString("setName") != null;
                if (!configured && !freshDirectory && reconfigureIfMoved(client)) {
                    continue;
                }
                if (!configured && !Instant.now().isBefore(initiateAfter)) {
                    initiate(client);
                    initiateAfter = deadline;
                }
                sleepBriefly();
            }
            throw new MongoUnavailableException("The local MongoDB on port " + settings.port()
                    + " did not become a writable primary within " + settings.startupTimeout().toSeconds() + "s. Its"
                    + " data directory " + settings.dataDirectory().toAbsolutePath() + " may belong to another replica"
                    + " set; check the mongod log, or move the directory away to start empty.", null);
        }
    }

    /**
     * A data directory started before on another port keeps the member's old address in its replica-set
     * configuration; the server then finds itself missing from that configuration, stays REMOVED, and answers
     * {@code hello} as if never initiated. For the single-member set this launcher creates, a forced
     * reconfiguration to the current address fixes it in place (forcing is how a non-primary accepts a new
     * configuration). Returns whether it reconfigured.
     */
    private boolean reconfigureIfMoved(MongoClient client) {
        Document stored = Mono.from(client.getDatabase("local").getCollection("system.replset").find().first())
                .block(settings.startupTimeout());
        if (stored == null) {
            return false;
        }
        Optional<Document> moved = movedConfig(stored, address(), settings.dataDirectory());
        if (moved.isEmpty()) {
            return false;
        }
        log.warn("The local MongoDB's replica-set configuration names {} but it now listens on {}: reconfiguring it to"
                + " the new address", memberHosts(stored), address());
        // Refused while the server is still loading its configuration: the loop asks again.
        Document reply = command(client, new Document("replSetReconfig", moved.get()).append("force", true))
                .onErrorResume(MongoCommandException.class, refused -> {
                    log.debug("Forced reconfiguration refused for now: {}", refused.getErrorMessage());
                    return Mono.empty();
                })
                .block(settings.startupTimeout());
        return reply != null;
    }

    /**
     * The configuration to force when the stored one does not name this member's address: the same single
     * member at the new address. Empty when the address is already there (the server is still loading it).
     */
    static Optional<Document> movedConfig(Document stored, String address, Path dataDirectory) {
        List<String> hosts = memberHosts(stored);
        if (hosts.contains(address)) {
            return Optional.empty();
        }
        List<Document> members = stored.getList("members", Document.class, List.of());
        if (members.size() != 1) {
            throw new MongoUnavailableException("The local MongoDB's data directory " + dataDirectory.toAbsolutePath()
                    + " holds a replica set of " + members.size() + " members " + hosts + ", none at " + address
                    + "; this launcher only manages single-member sets. Start it on the port it had, or move the"
                    + " directory away to start empty.", null);
        }
        Document member = new Document(members.get(0)).append("host", address);
        Document config = new Document(stored);
        // The server assigns term and version itself on a forced reconfiguration.
        config.remove("term");
        config.put("members", List.of(member));
        return Optional.of(config);
    }

    private static List<String> memberHosts(Document config) {
        return config.getList("members", Document.class, List.of()).stream()
                .map(member -> member.getString("host"))
                .toList();
    }

    private String address() {
        return "127.0.0.1:" + settings.port();
    }

    /** A member that turns out to be initiated already (code 23) is what we wanted anyway. */
    private void initiate(MongoClient client) {
        command(client, replicaSetConfig())
                .onErrorResume(MongoCommandException.class, failure -> failure.getErrorCode() == ALREADY_INITIALIZED
                        ? Mono.empty() : Mono.error(failure))
                .block(settings.startupTimeout());
    }

    private static boolean isEmptyOrMissing(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return true;
        }
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    private Document replicaSetConfig() {
        Document member = new Document("_id", 0).append("host", address());
        return new Document("replSetInitiate",
                new Document("_id", settings.replicaSetName()).append("members", List.of(member)));
    }

    private static Mono<Document> command(MongoClient client, Document command) {
        return Mono.from(client.getDatabase("admin").runCommand(command));
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(200);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new MongoUnavailableException("Interrupted while waiting for the local MongoDB", interrupted);
        }
    }

    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        }
        catch (IOException taken) {
            throw new MongoUnavailableException("Port " + port + " on 127.0.0.1 is already in use, so the local"
                    + " MongoDB cannot start there (a mongod left over from an earlier run?). Stop that process,"
                    + " or choose another port with PHISHNET_MONGO_EMBEDDED_PORT.", taken);
        }
    }

    /** One line, not flapdoodle's state dump (which includes every system property). */
    private static String describeStartFailure(Settings settings, Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String how = settings.binary()
                .map(binary -> "Starting " + binary + " failed")
                .orElse("No MongoDB address is configured (MONGODB_URI, spring.mongodb.uri), no mongod is on the PATH,"
                        + " and downloading MongoDB "
                        + settings.version().asInDownloadPath() + " failed");
        return how + ": " + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        String line = newline >= 0 ? message.substring(0, newline) : message;
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** Download progress goes to the log rather than flapdoodle's console printer. */
    private static final class LoggingProgress implements ProgressListener {

        @Override
        public void progress(String label, int percent) {
            if (percent % 25 == 0) {
                log.info("{}: {}%", label, percent);
            }
        }

        @Override
        public void done(String label) {
            log.info("{}: done", label);
        }

        @Override
        public void start(String label) {
            log.info("{}: started (first run only; the archive is cached)", label);
        }

        @Override
        public void info(String label, String message) {
            log.debug("{}: {}", label, message);
        }
    }
}
