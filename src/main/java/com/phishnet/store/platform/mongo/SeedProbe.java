package com.phishnet.store.platform.mongo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterConnectionMode;
import com.mongodb.connection.ServerDescription;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.spi.dns.DnsClient;
import com.mongodb.spi.dns.DnsException;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What one host of the connection string says about itself over a direct connection. Used after a
 * server-selection timeout: with a replica-set or multi-host URI the driver drops every server that is not a
 * member of the expected set (a standalone, a mongos, a member of another set, a member known by another name)
 * from its view, so only asking each host directly tells why nothing could be selected.
 *
 * @param topology null when the host did not answer
 * @param setName  the replica set it belongs to, if any
 * @param hosts    the members its replica-set configuration names
 * @param primary  the primary it knows of, if any
 * @param error    why it did not answer
 */
record SeedProbe(String address, Topology topology, String setName, List<String> hosts, String primary, String error) {

    static SeedProbe answered(String address, Document hello) {
        return new SeedProbe(address, Topology.of(hello), hello.getString("setName"),
                hello.getList("hosts", String.class, List.of()), hello.getString("primary"), null);
    }

    static SeedProbe unreachable(String address, String error) {
        return new SeedProbe(address, null, null, List.of(), null, error);
    }

    boolean answered() {
        return topology != null;
    }

    /** Probes every host of the connection string at once; never fails, an unanswered host says why. */
    static Mono<List<SeedProbe>> probeAll(ConnectionString connectionString, Duration timeout, DnsClient dns) {
        List<String> seeds;
        try {
            seeds = seeds(connectionString, dns);
        }
        catch (DnsException failure) {
            return Mono.just(List.of(unreachable(connectionString.getHosts().get(0),
                    "DNS SRV lookup failed: " + failure.getMessage())));
        }
        return Flux.fromIterable(seeds)
                .flatMapSequential(address -> probe(connectionString, address, timeout))
                .collectList();
    }

    /** The hosts as written, or for {@code mongodb+srv://} the targets of its SRV record. */
    static List<String> seeds(ConnectionString connectionString, DnsClient dns) throws DnsException {
        if (!connectionString.isSrvProtocol()) {
            return connectionString.getHosts();
        }
        // srvServiceName is null unless the URI sets it; the driver then uses "mongodb".
        String service = connectionString.getSrvServiceName() != null ? connectionString.getSrvServiceName() : "mongodb";
        String name = "_" + service + "._tcp." + connectionString.getHosts().get(0);
        return dns.getResourceRecordData(name, "SRV").stream().map(SeedProbe::srvTarget).toList();
    }

    /** An SRV record's data is "priority weight port target."; the driver connects to target:port. */
    static String srvTarget(String record) {
        String[] parts = record.trim().split("\\s+");
        String host = parts[3].endsWith(".") ? parts[3].substring(0, parts[3].length() - 1) : parts[3];
        return host + ":" + parts[2];
    }

    /**
     * The user's settings (credentials, TLS, auth source) for a direct connection to one host: no discovery,
     * no replica-set name, so whatever answers is reported as what it is.
     */
    static MongoClientSettings probeSettings(ConnectionString connectionString, String address, Duration timeout) {
        return MongoClientSettings.builder()
                .applyConnectionString(connectionString)
                .applyToClusterSettings(cluster -> {
                    if (connectionString.isSrvProtocol()) {
                        cluster.srvHost(null);
                    }
                    cluster.hosts(List.of(new ServerAddress(address)))
                            .mode(ClusterConnectionMode.SINGLE)
                            .requiredReplicaSetName(null)
                            .serverSelectionTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
                })
                .applyToSocketSettings(socket -> socket
                        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .build();
    }

    private static Mono<SeedProbe> probe(ConnectionString connectionString, String address, Duration timeout) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> MongoClients.create(probeSettings(connectionString, address, timeout))),
                client -> ReplicaSetGuard.hello(client)
                        .map(hello -> answered(address, hello))
                        .onErrorResume(failure -> Mono.just(unreachable(address, reason(client, failure)))),
                client -> Mono.fromRunnable(client::close));
    }

    /** The monitor's own error (connection refused, unknown host, TLS, authentication) beats "timed out". */
    private static String reason(MongoClient client, Throwable failure) {
        Throwable cause = client.getClusterDescription().getServerDescriptions().stream()
                .map(ServerDescription::getException)
                .filter(exception -> exception != null)
                .findFirst()
                .map(Throwable.class::cast)
                .orElse(failure);
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse("");
        return cause.getClass().getSimpleName() + message;
    }

    /** SRV lookups through the JDK's DNS provider, as the driver itself does by default. */
    static final class JndiDns implements DnsClient {

        @Override
        public List<String> getResourceRecordData(String name, String type) throws DnsException {
            Hashtable<String, String> environment = new Hashtable<>();
            environment.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
            environment.put("java.naming.provider.url", "dns:");
            try {
                InitialDirContext context = new InitialDirContext(environment);
                try {
                    Attribute attribute = context.getAttributes(name, new String[] {type}).get(type);
                    List<String> records = new ArrayList<>();
                    if (attribute != null) {
                        NamingEnumeration<?> values = attribute.getAll();
                        while (values.hasMore()) {
                            records.add(String.valueOf(values.next()));
                        }
                    }
                    return records;
                }
                finally {
                    context.close();
                }
            }
            catch (NamingException failure) {
                throw new DnsException("no " + type + " record for " + name + " (" + failure.getMessage() + ")", failure);
            }
        }
    }
}
