package com.phishnet.store.platform.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed ({@code phishnet.web.trusted-proxies}, CIDRs
 * or single addresses). Empty (the default): no forwarded header is believed and the client is the socket
 * peer. Parsed at startup, so a typo stops the service instead of silently trusting nothing or everything.
 */
@ConfigurationProperties("phishnet.web")
public record TrustedProxies(@DefaultValue List<String> trustedProxies) {

    // Strict dotted quad: anything InetAddress would not take as a literal, it would look up in DNS instead.
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public TrustedProxies {
        trustedProxies = List.copyOf(trustedProxies);
        trustedProxies.forEach(Cidr::parse);
    }

    public List<Cidr> ranges() {
        return trustedProxies.stream().map(Cidr::parse).toList();
    }

    /**
     * An IP literal, or null when the text is anything else. Never resolves a host name: values come from
     * request headers, and a lookup per request would be both slow and attacker-controlled.
     */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        if (value.startsWith("[") && value.contains("]")) {
            value = value.substring(1, value.indexOf(']'));
        }
        else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            value = value.substring(0, value.indexOf(':'));
        }
        if (!IPV4.matcher(value).matches() && !IPV6.matcher(value).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(value);
        }
        catch (UnknownHostException notALiteral) {
            return null;
        }
    }

    /** An address range: network bits and prefix length. */
    public record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String[] parts = text.trim().split("/", 2);
            InetAddress address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("phishnet.web.trusted-proxies: '" + text + "' is not an IP address or CIDR");
            }
            int bits = address.getAddress().length * 8;
            int prefix;
            try {
                prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            }
            catch (NumberFormatException invalid) {
                throw new IllegalArgumentException("phishnet.web.trusted-proxies: '" + text + "' has no valid prefix length");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("phishnet.web.trusted-proxies: '" + text + "' has no valid prefix length");
            }
            return new Cidr(address.getAddress(), prefix);
        }

        public boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
