package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.phishnet.store.support.AuthEnforcingMongo;
import com.phishnet.store.support.RealMongo;
import com.phishnet.store.support.RequiresRealMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The documented MongoDB roles against a real server: migrations succeed as a user holding only
 * {@link MigrationPrivileges#MIGRATOR_ROLES}, the role table matches the server's built-in roles, and the
 * service's {@code readWrite} alone is refused the validator change. The user tests run on the harness's
 * authorization-enforcing replica set where there is one (a local {@code mongod}); a server without access
 * control lets every user do everything, so there the refusal test skips and the role-table test carries
 * the proof.
 */
@RequiresRealMongo
class MigrationPrivilegesIT {

    private static final int UNAUTHORIZED = 13;

    private final String database = RealMongo.newDatabaseName();
    private final String password = UUID.randomUUID().toString();

    private MongoClient admin;
    private ConnectionString hosts;

    @BeforeEach
    void connect() {
        var enforcing = AuthEnforcingMongo.find();
        if (enforcing.isPresent()) {
            admin = enforcing.get().rootClient();
            hosts = enforcing.get().hosts();
        }
        else {
            hosts = new ConnectionString(RealMongo.find().orElseThrow().uri());
            admin = MongoClients.create(MongoClientSettings.builder().applyConnectionString(hosts).build());
        }
    }

    @AfterEach
    void dropDatabaseAndUsers() {
        // Dropping a database leaves the users defined in it.
        Mono.from(admin.getDatabase(database).runCommand(new Document("dropAllUsersFromDatabase", 1)))
                .onErrorResume(MongoCommandException.class, ignored -> Mono.empty()).block();
        Mono.from(admin.getDatabase(database).drop()).block();
        admin.close();
    }

    @Test
    void theRoleTableMatchesTheServersBuiltInRoles() {
        for (String role : MigrationPrivileges.BUILT_IN_ROLE_ACTIONS.keySet()) {
            assertThat(candidateActionsOf(role)).as(role)
                    .isEqualTo(new TreeSet<>(MigrationPrivileges.BUILT_IN_ROLE_ACTIONS.get(role)));
        }
    }

    @Test
    void theServersReadWriteRoleLacksCollMod() {
        assertThat(candidateActionsOf("readWrite")).doesNotContain("collMod");
    }

    @Test
    void aUserWithOnlyTheMigratorRolesMigratesAFreshDatabase() {
        createUser("migrator", MigrationPrivileges.MIGRATOR_ROLES);

        try (MongoClient client = clientAs("migrator")) {
            MigrationRunner.migrate(client, database, Clock.systemUTC());
        }

        List<Document> entries = Flux.from(admin.getDatabase(database).getCollection("mongockChangeLog")
                .find(new Document("author", "phishnet-store"))).collectList().block();
        assertThat(entries).extracting(entry -> entry.getString("changeId"))
                .contains("V001-create-collections", "V002-create-indexes", "V003-create-jobs", "V004-scan-ingestion");
        assertThat(entries).extracting(entry -> entry.getString("state")).containsOnly("EXECUTED");
    }

    @Test
    void theServiceRoleAloneIsRefusedTheValidatorChange() {
        createUser("service", MigrationPrivileges.SERVICE_ROLES);

        try (MongoClient client = clientAs("service")) {
            Assumptions.assumeTrue(enforcesAuthorization(client),
                    "this MongoDB does not enforce authorization (no --auth/--keyFile and no local mongod to start "
                            + "one), so it cannot refuse a role anything");

            assertThatThrownBy(() -> MigrationRunner.migrate(client, database, Clock.systemUTC()))
                    .satisfies(failure -> assertThat(causes(failure)).anySatisfy(cause -> {
                        assertThat(cause).isInstanceOf(MongoCommandException.class);
                        assertThat(((MongoCommandException) cause).getErrorCode()).isEqualTo(UNAUTHORIZED);
                        assertThat(cause.getMessage()).contains("collMod");
                    }));
        }
    }

    /**
     * The change streams of the live streams, opened as the serving user with the {@code updateLookup} they use. Where
     * authorization is enforced this is the proof that {@link MigrationPrivileges#SERVICE_ROLES} suffice; elsewhere
     * it still shows the command is well formed on every streamed collection.
     */
    @Test
    void theServiceRoleAloneOpensAChangeStreamOnEveryStreamedCollection() {
        MigrationRunner.migrate(admin, database, Clock.systemUTC());
        createUser("service", MigrationPrivileges.SERVICE_ROLES);

        try (MongoClient client = clientAs("service")) {
            for (String collection : MigrationPrivileges.STREAMED_COLLECTIONS) {
                Document opened = Mono.from(client.getDatabase(database).runCommand(new Document("aggregate", collection)
                        .append("pipeline", List.of(new Document("$changeStream",
                                new Document("fullDocument", "updateLookup"))))
                        .append("cursor", new Document()))).block();

                assertThat(opened.getDouble("ok")).as(collection).isEqualTo(1.0);
                assertThat(opened.get("cursor", Document.class).getLong("id")).as(collection).isNotZero();
            }
        }
    }

    /** The role's actions on the database's non-system collections, among those the table speaks about. */
    private Set<String> candidateActionsOf(String role) {
        Document info = Mono.from(admin.getDatabase(database).runCommand(new Document("rolesInfo",
                new Document("role", role).append("db", database))
                .append("showPrivileges", true).append("showBuiltinRoles", true))).block();
        List<Document> roles = info.getList("roles", Document.class);
        assertThat(roles).as(role).hasSize(1);
        Set<String> actions = new TreeSet<>();
        for (Document privilege : roles.get(0).getList("inheritedPrivileges", Document.class)) {
            Document resource = privilege.get("resource", Document.class);
            if (database.equals(resource.getString("db")) && "".equals(resource.getString("collection"))) {
                actions.addAll(privilege.getList("actions", String.class));
            }
        }
        actions.retainAll(MigrationPrivileges.CANDIDATE_ACTIONS);
        return actions;
    }

    private void createUser(String user, List<String> roles) {
        List<Document> grants = roles.stream().map(role -> new Document("role", role).append("db", database)).toList();
        try {
            Mono.from(admin.getDatabase(database).runCommand(new Document("createUser", user).append("pwd", password)
                    .append("roles", grants))).block();
        }
        catch (MongoCommandException refused) {
            Assumptions.abort("the harness's MongoDB user may not create users (" + refused.getErrorCodeName() + ")");
        }
    }

    private MongoClient clientAs(String user) {
        // The server's address only: the harness URI's own credential, if any, must not come along.
        return MongoClients.create(MongoClientSettings.builder()
                .applyToClusterSettings(cluster -> cluster.applyConnectionString(hosts))
                .applyToSslSettings(ssl -> ssl.applyConnectionString(hosts))
                .credential(MongoCredential.createCredential(user, database, password.toCharArray()))
                .build());
    }

    /** Reading a database the user holds no role on succeeds only where authorization is not enforced. */
    private boolean enforcesAuthorization(MongoClient client) {
        try {
            Mono.from(client.getDatabase(database + "_elsewhere").runCommand(new Document("count", "probe"))).block();
            return false;
        }
        catch (MongoCommandException refused) {
            return refused.getErrorCode() == UNAUTHORIZED;
        }
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }
}
