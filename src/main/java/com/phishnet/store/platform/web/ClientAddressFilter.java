package com.phishnet.store.platform.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Decides once per request who the client is, for the per-IP rate limit and the audit trail alike: the
 * socket peer; or, when the peer is a trusted proxy, the right-most {@code X-Forwarded-For} entry that is not
 * itself a trusted proxy. Entries left of that one were written by the client and prove nothing. Boot's own
 * forwarded-header handling is off ({@code server.forward-headers-strategy=none}), so the peer is the socket's.
 */
@Component
public class ClientAddressFilter implements WebFilter, Ordered {

    public static final String ATTRIBUTE = ClientAddressFilter.class.getName() + ".clientIp";
    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String UNKNOWN = "unknown";

    /** Right after the request id, before the per-IP rate limit and Spring Security. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final List<TrustedProxies.Cidr> trusted;

    public ClientAddressFilter(TrustedProxies proxies) {
        this.trusted = proxies.ranges();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        exchange.getAttributes().put(ATTRIBUTE, resolve(exchange.getRequest()));
        return chain.filter(exchange);
    }

    /** The resolved client address of the request, or the socket peer's for an exchange that skipped the filter. */
    public static String of(ServerWebExchange exchange) {
        String resolved = exchange.getAttribute(ATTRIBUTE);
        return resolved != null ? resolved : peerOf(exchange.getRequest());
    }

    String resolve(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null) {
            return UNKNOWN;
        }
        InetAddress client = peer;
        if (isTrusted(peer)) {
            List<String> hops = forwardedFor(request);
            for (int i = hops.size() - 1; i >= 0; i--) {
                InetAddress hop = TrustedProxies.literal(hops.get(i));
                if (hop == null) {
                    // Garbage where an address should be: nothing further left can be believed.
                    break;
                }
                client = hop;
                if (!isTrusted(hop)) {
                    break;
                }
            }
        }
        return client.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        return trusted.stream().anyMatch(range -> range.contains(address));
    }

    /** Every X-Forwarded-For entry, left to right, across repeated headers. */
    private static List<String> forwardedFor(ServerHttpRequest request) {
        List<String> hops = new ArrayList<>();
        List<String> headers = request.getHeaders().get(FORWARDED_FOR);
        if (headers != null) {
            headers.forEach(header -> {
                for (String hop : header.split(",")) {
                    if (!hop.isBlank()) {
                        hops.add(hop.trim());
                    }
                }
            });
        }
        return hops;
    }

    private static String peerOf(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? UNKNOWN : remote.getAddress().getHostAddress();
    }
}
