package com.phishnet.store.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.phishnet.store.platform.mongo.embedded.EmbeddedMongod;
import de.flapdoodle.embed.mongo.distribution.Version;
import de.flapdoodle.embed.mongo.transitions.Mongod;
import de.flapdoodle.embed.process.archives.ExtractedFileSet;
import de.flapdoodle.reverse.StateID;
import de.flapdoodle.reverse.TransitionWalker;
import org.bson.Document;
import reactor.core.publisher.Mono;

/**
 * A single-node replica set that enforces authorization ({@code --keyFile}, which implies {@code --auth}),
 * started from the local {@code mongod} the harness uses, for tests of what a role may and may not do. The
 * harness's usual servers run without access control, where every user may do everything. The set is
 * initiated and its first user (root) created through the localhost exception, which then closes.
 * Without a local binary it uses the one the embedded launcher downloads (hosted CI); where neither exists there
 * is no such server, and the tests that need one say so and skip.
 */
public final class AuthEnforcingMongo {

    private static final String REPLICA_SET = "rs-auth";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private static Optional<AuthEnforcingMongo> instance;
    private static RuntimeException startFailure;

    private final ConnectionString hosts;
    private final MongoCredential root;

    private AuthEnforcingMongo(ConnectionString hosts, MongoCredential root) {
        this.hosts = hosts;
        this.root = root;
    }

    public static synchronized Optional<AuthEnforcingMongo> find() {
        if (startFailure != null) {
            throw startFailure; // once is enough: later tests fail at once instead of waiting for it again
        }
        if (instance == null) {
            try {
                instance = EmbeddedMongod.findLocalBinary().or(AuthEnforcingMongo::downloadedBinary)
                        .map(AuthEnforcingMongo::start);
            }
            catch (RuntimeException failure) {
                startFailure = failure;
                throw failure;
            }
        }
        return instance;
    }

    /**
     * Where the tier runs on Docker (hosted CI) there is no mongod binary, but the network is there: the binary
     * the embedded launcher would download, kept extracted while the JVM lives.
     */
    private static Optional<Path> downloadedBinary() {
        if (RealMongo.find().isEmpty()) {
            return Optional.empty();
        }
        try {
            TransitionWalker.ReachedState<ExtractedFileSet> extracted = Mongod.instance()
                    .transitions(Version.Main.V8_0).walker().initState(StateID.of(ExtractedFileSet.class));
            Runtime.getRuntime().addShutdownHook(new Thread(extracted::close));
            return Optional.of(extracted.current().executable());
        }
        catch (RuntimeException unavailable) {
            System.out.println("No authorization-enforcing MongoDB: no mongod binary, and none could be downloaded ("
                    + unavailable + ")");
            return Optional.empty();
        }
    }

    /** The replica set's address, without any credential. */
    public ConnectionString hosts() {
        return hosts;
    }

    /** A client authenticated as root, for creating the users under test. */
    public MongoClient rootClient() {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(hosts).credential(root).build());
    }

    private static AuthEnforcingMongo start(Path binary) {
        try {
            Path directory = Files.createTempDirectory("phishnet-it-mongod-auth");
            Path data = Files.createDirectories(directory.resolve("db"));
            Path keyFile = directory.resolve("keyfile");
            Files.writeString(keyFile, randomSecret());
            // mongod refuses a key file that the group or others can read.
            Files.setPosixFilePermissions(keyFile, Set.of(PosixFilePermission.OWNER_READ));
            int port = RealMongo.freePort();
            Process process = new ProcessBuilder(List.of(binary.toString(), "--replSet", REPLICA_SET,
                    "--bind_ip", "127.0.0.1", "--port", Integer.toString(port), "--dbpath", data.toString(),
                    "--keyFile", keyFile.toString(), "--auth", "--logpath", directory.resolve("mongod.log").toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stdout.log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            String address = "127.0.0.1:" + port;
            String rootPassword = randomSecret();
            try {
                initiateAndCreateRoot(address, rootPassword);
            }
            catch (RuntimeException failure) {
                process.destroy();
                throw failure;
            }
            return new AuthEnforcingMongo(new ConnectionString("mongodb://" + address + "/?replicaSet=" + REPLICA_SET),
                    MongoCredential.createCredential("it-root", "admin", rootPassword.toCharArray()));
        }
        catch (IOException failure) {
            throw new IllegalStateException("cannot start the authorization-enforcing mongod", failure);
        }
    }

    /** Over the localhost exception: initiate, wait for a writable primary, create the first user. */
    private static void initiateAndCreateRoot(String address, String rootPassword) {
        MongoClientSettings direct = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://" + address + "/?directConnection=true"))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(STARTUP.toSeconds(), TimeUnit.SECONDS))
                .build();
        try (MongoClient client = MongoClients.create(direct)) {
            var admin = client.getDatabase("admin");
            Mono.from(admin.runCommand(new Document("replSetInitiate", new Document("_id", REPLICA_SET)
                    .append("members", List.of(new Document("_id", 0).append("host", address)))))).block(STARTUP);
            Mono.defer(() -> Mono.from(admin.runCommand(new Document("hello", 1))))
                    .filter(hello -> hello.getBoolean("isWritablePrimary", false))
                    .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(200)))
                    .block(STARTUP);
            Mono.from(admin.runCommand(new Document("createUser", "it-root").append("pwd", rootPassword)
                    .append("roles", List.of(new Document("role", "root").append("db", "admin"))))).block(STARTUP);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[36];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
