package com.phishnet.store.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterConnectionMode;
import com.mongodb.spi.dns.DnsClient;
import org.junit.jupiter.api.Test;

/** Which hosts the startup diagnosis asks, and how it connects to each: directly, with the user's settings. */
class SeedProbeTest {

    private static final DnsClient SRV = (name, type) -> switch (type) {
        case "SRV" -> {
            assertThat(name).isEqualTo("_mongodb._tcp.cluster0.example.net");
            yield List.of("0 0 27017 shard-00.example.net.", "0 0 27018 shard-01.example.net.");
        }
        default -> List.of();
    };

    @Test
    void probesEveryHostAsWritten() {
        assertThat(SeedProbe.seeds(new ConnectionString("mongodb://a:1,b:2/phishnet?replicaSet=rs0"), SRV))
                .containsExactly("a:1", "b:2");
    }

    @Test
    void probesTheTargetsOfAnSrvRecord() {
        ConnectionString srv = new ConnectionString("mongodb+srv://cluster0.example.net/phishnet", SRV);

        assertThat(SeedProbe.seeds(srv, SRV)).containsExactly("shard-00.example.net:27017", "shard-01.example.net:27018");
    }

    @Test
    void connectsDirectlyWithoutAReplicaSetName() {
        MongoClientSettings settings = SeedProbe.probeSettings(
                new ConnectionString("mongodb://u:p@a:1,b:2/phishnet?replicaSet=rs0&tls=true"), "b:2", Duration.ofSeconds(2));

        assertThat(settings.getClusterSettings().getMode()).isEqualTo(ClusterConnectionMode.SINGLE);
        assertThat(settings.getClusterSettings().getHosts()).containsExactly(new ServerAddress("b", 2));
        assertThat(settings.getClusterSettings().getRequiredReplicaSetName()).isNull();
        assertThat(settings.getCredential().getUserName()).isEqualTo("u");
        assertThat(settings.getSslSettings().isEnabled()).isTrue();
    }

    @Test
    void anSrvConnectionBecomesADirectOneToTheTargetKeepingTls() {
        MongoClientSettings settings = SeedProbe.probeSettings(
                new ConnectionString("mongodb+srv://cluster0.example.net/phishnet", SRV), "shard-00.example.net:27017",
                Duration.ofSeconds(2));

        assertThat(settings.getClusterSettings().getSrvHost()).isNull();
        assertThat(settings.getClusterSettings().getMode()).isEqualTo(ClusterConnectionMode.SINGLE);
        assertThat(settings.getSslSettings().isEnabled()).isTrue();
    }

    @Test
    void readsTheServerKindFromHello() {
        SeedProbe probe = SeedProbe.answered("a:1", org.bson.Document.parse(
                "{isWritablePrimary: false, secondary: true, setName: 'rs0', hosts: ['a:1'], primary: 'b:2', ok: 1}"));

        assertThat(probe.topology()).isEqualTo(Topology.REPLICA_SET_MEMBER);
        assertThat(probe.setName()).isEqualTo("rs0");
        assertThat(probe.primary()).isEqualTo("b:2");
    }
}
