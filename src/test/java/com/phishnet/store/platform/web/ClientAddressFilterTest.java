package com.phishnet.store.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Who the client is: the socket peer, unless a trusted proxy says otherwise in X-Forwarded-For. */
class ClientAddressFilterTest {

    private final ClientAddressFilter behindProxies = new ClientAddressFilter(
            new TrustedProxies(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8")));
    private final ClientAddressFilter direct = new ClientAddressFilter(new TrustedProxies(List.of()));

    @Test
    void withoutTrustedProxiesTheSocketPeerIsTheClientWhateverTheHeaderSays() {
        assertThat(direct.resolve(from("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerIsIgnored() {
        assertThat(behindProxies.resolve(from("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void behindATrustedProxyTheClientIsTheAddressItForwarded() {
        assertThat(behindProxies.resolve(from("10.1.2.3", "198.51.100.1"))).isEqualTo("198.51.100.1");
    }

    @Test
    void aClientCannotPrependAnAddressToTheChain() {
        // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the address it saw.
        assertThat(behindProxies.resolve(from("10.1.2.3", "1.1.1.1, 198.51.100.1"))).isEqualTo("198.51.100.1");
    }

    @Test
    void aChainOfTrustedProxiesIsWalkedFromTheRight() {
        assertThat(behindProxies.resolve(from("10.1.2.3", "1.1.1.1, 198.51.100.1, 192.168.1.7, 10.9.9.9")))
                .isEqualTo("198.51.100.1");
    }

    @Test
    void repeatedHeadersAreReadAsOneList() {
        var request = MockServerHttpRequest.get("/").remoteAddress(new InetSocketAddress("10.1.2.3", 4000))
                .header("X-Forwarded-For", "1.1.1.1").header("X-Forwarded-For", "198.51.100.1").build();

        assertThat(behindProxies.resolve(request)).isEqualTo("198.51.100.1");
    }

    @Test
    void garbageInTheChainStopsTheWalkAtTheLastTrustedHop() {
        assertThat(behindProxies.resolve(from("10.1.2.3", "198.51.100.1, evil.example, 10.9.9.9")))
                .isEqualTo("10.9.9.9");
    }

    @Test
    void hostNamesAndOutOfRangeOctetsAreNeverResolved() {
        assertThat(TrustedProxies.literal("localhost")).isNull();
        assertThat(TrustedProxies.literal("999.1.1.1")).isNull();
        assertThat(TrustedProxies.literal("010.1.1.1")).isNull();
        assertThat(TrustedProxies.literal("198.51.100.1:443").getHostAddress()).isEqualTo("198.51.100.1");
        assertThat(TrustedProxies.literal("[2001:db8::1]:443").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void ipv6ProxiesAndClientsAreMatchedByPrefix() {
        assertThat(behindProxies.resolve(from("fd00::5", "2001:db8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void aProxyListThatIsNotAddressesStopsStartup() {
        assertThatThrownBy(() -> new TrustedProxies(List.of("proxy.internal"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theResolvedAddressIsWhatTheRestOfTheRequestSees() {
        var exchange = org.springframework.mock.web.server.MockServerWebExchange.from(
                MockServerHttpRequest.get("/").remoteAddress(new InetSocketAddress("10.1.2.3", 4000))
                        .header("X-Forwarded-For", "198.51.100.1"));

        reactor.test.StepVerifier.create(behindProxies.filter(exchange, served -> reactor.core.publisher.Mono.empty()))
                .verifyComplete();

        assertThat(ClientAddressFilter.of(exchange)).isEqualTo("198.51.100.1");
    }

    private static MockServerHttpRequest from(String peer, String forwardedFor) {
        return MockServerHttpRequest.get("/").remoteAddress(new InetSocketAddress(peer, 4000))
                .header("X-Forwarded-For", forwardedFor).build();
    }
}
