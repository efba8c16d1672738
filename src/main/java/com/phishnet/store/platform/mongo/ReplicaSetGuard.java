package com.phishnet.store.platform.mongo;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import com.mongodb.ConnectionString;
import com.mongodb.MongoTimeoutException;
import com.mongodb.reactivestreams.client.MongoClient;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Refuses to start the service on a MongoDB that cannot run transactions. Runs while the context starts,
 * before migrations and before the web server accepts a request.
 */
@Component(ReplicaSetGuard.BEAN_NAME)
public class ReplicaSetGuard implements InitializingBean {

    public static final String BEAN_NAME = "replicaSetGuard";

    private static final Logger log = LoggerFactory.getLogger(ReplicaSetGuard.class);

    private final MongoClient client;
    private final StoreMongoProperties properties;
    private final MongoConnectionDetails connectionDetails;

    public ReplicaSetGuard(MongoClient client, StoreMongoProperties properties, MongoConnectionDetails connectionDetails) {
        this.client = client;
        this.properties = properties;
        this.connectionDetails = connectionDetails;
    }

    @Override
    public void afterPropertiesSet() {
        // Startup is the one place where waiting is right: nothing may run before the check passes.
        ConnectionString connectionString = connectionDetails.getConnectionString();
        Document hello;
        try {
            hello = hello(client).block(properties.serverSelectionTimeout().plus(Duration.ofSeconds(5)));
        }
        catch (MongoTimeoutException timeout) {
            List<SeedProbe> probes = SeedProbe.probeAll(connectionString, properties.connectTimeout(), new SeedProbe.JndiDns())
                    .block();
            throw explainTimeout(probes, connectionString.getRequiredReplicaSetName(), timeout);
        }
        Topology topology = Topology.of(hello);
        if (!topology.supportsTransactions()) {
            throw new ReplicaSetRequiredException(topology, String.join(",", connectionString.getHosts()));
        }
        log.info("MongoDB topology: {} (replica set '{}')", topology, hello.getString("setName"));
    }

    static Mono<Document> hello(MongoClient client) {
        return Mono.from(client.getDatabase("admin").runCommand(new Document("hello", 1)));
    }

    /**
     * Why no server could be selected, from what each host said over a direct connection. The driver removes
     * from its view any host that is not a member of the expected replica set (AbstractMultiServerCluster:
     * "Expecting replica set member, but found a STANDALONE. Removing ..."), and a standalone among several
     * hosts ("Expecting a single STANDALONE, but found more than one"), so its own view no longer shows them.
     */
    static RuntimeException explainTimeout(List<SeedProbe> probes, String requiredSetName, MongoTimeoutException timeout) {
        List<SeedProbe> standalone = having(probes, Topology.STANDALONE);
        if (!standalone.isEmpty()) {
            return new ReplicaSetRequiredException(Topology.STANDALONE, addresses(standalone));
        }
        List<SeedProbe> uninitiated = having(probes, Topology.UNINITIATED_REPLICA_SET);
        if (!uninitiated.isEmpty()) {
            return new ReplicaSetRequiredException(Topology.UNINITIATED_REPLICA_SET, addresses(uninitiated));
        }
        List<SeedProbe> routers = having(probes, Topology.SHARDED_CLUSTER_ROUTER);
        List<SeedProbe> members = having(probes, Topology.REPLICA_SET_MEMBER);
        if (!routers.isEmpty() && requiredSetName != null) {
            return new MongoMisconfiguredException("MongoDB at " + addresses(routers) + " is a mongos router of a sharded"
                    + " cluster, but the connection string says replicaSet=" + requiredSetName + ".",
                    "Remove the replicaSet option from the connection string: a sharded cluster is reached through its"
                            + " mongos routers, e.g. mongodb://router1,router2/phishnet.");
        }
        if (!routers.isEmpty() && !members.isEmpty()) {
            return new MongoMisconfiguredException("The connection string mixes mongos routers (" + addresses(routers)
                    + ") with replica-set members (" + addresses(members) + ").",
                    "List either the mongos routers of the sharded cluster or the members of one replica set, not both.");
        }
        String expected = requiredSetName != null ? requiredSetName
                : members.stream().map(SeedProbe::setName).findFirst().orElse(null);
        List<SeedProbe> otherSet = members.stream().filter(member -> !member.setName().equals(expected)).toList();
        if (!otherSet.isEmpty()) {
            return new MongoMisconfiguredException("MongoDB at " + addresses(otherSet) + " belongs to replica set '"
                    + otherSet.get(0).setName() + "', but the connection string "
                    + (requiredSetName != null ? "asks for replicaSet=" + requiredSetName : "also names members of '"
                            + expected + "'") + ".",
                    "Set replicaSet=" + otherSet.get(0).setName() + " in the connection string and list only that set's"
                            + " members, or point it at the members of '" + expected + "'.");
        }
        if (!members.isEmpty()) {
            return unreachableMembers(members, expected);
        }
        if (probes.isEmpty()) {
            return timeout;
        }
        return new MongoMisconfiguredException("No MongoDB server answered: " + probes.stream()
                .map(probe -> probe.address() + " (" + probe.error() + ")")
                .collect(Collectors.joining("; ")) + ".",
                "Check that the servers in the connection string (MONGODB_URI or spring.mongodb.uri) are running and"
                        + " reachable from here: host, port, firewall, TLS, credentials. Or:\n"
                        + MongoStartupFailureAnalyzer.WAYS_OUT);
    }

    /**
     * Members of the right set answer directly, yet the driver found no primary: it connects to the names in the
     * set's own configuration, not to those in the URI, and those were unreachable, or there is no primary.
     */
    private static MongoMisconfiguredException unreachableMembers(List<SeedProbe> members, String setName) {
        List<String> configured = members.get(0).hosts();
        boolean primaryKnown = members.stream().anyMatch(member -> member.primary() != null);
        String why = primaryKnown
                ? "its configuration names the members " + configured + ", and this service could not reach the"
                        + " primary under that name"
                : "it has no primary at the moment (an election is under way, or too few members are up)";
        return new MongoMisconfiguredException("MongoDB at " + addresses(members) + " is a member of replica set '"
                + setName + "', but no primary could be selected: " + why + ".",
                primaryKnown
                        ? "Every address in the replica-set configuration (rs.conf()) must resolve and be reachable from"
                                + " this service, because the driver connects to those names, not to the ones in the"
                                + " connection string. Make them resolvable here (DNS, /etc/hosts) or change them with"
                                + " rs.reconfig(); to reach the primary alone from outside its network, add"
                                + " directConnection=true (no failover)."
                        : "Bring a majority of the members up (rs.status() shows their states), then start the service again.");
    }

    private static List<SeedProbe> having(List<SeedProbe> probes, Topology topology) {
        return probes.stream().filter(probe -> probe.topology() == topology).toList();
    }

    private static String addresses(List<SeedProbe> probes) {
        return probes.stream().map(SeedProbe::address).collect(Collectors.joining(","));
    }
}
