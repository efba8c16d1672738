package com.phishnet.store.platform.time;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Names this running instance among the service's instances, for whoever records which instance did something
 * (a lease's holder). The host name says where to look; the random suffix tells apart two processes on one host,
 * and one process from its own restart.
 */
public record InstanceId(String value) {

    /** Long enough for any field that stores it (a lease's holder is 1..128 characters). */
    public static final int MAX_LENGTH = 128;

    private static final int RANDOM_BYTES = 6;
    public InstanceId {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("an instance id has 1.." + MAX_LENGTH + " characters: " + value);
        }
    }

    /** {@code <host>-<12 hex digits>}, the host cut short so the whole fits {@link #MAX_LENGTH}. */
    public static InstanceId ofThisHost(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return of(hostName(System.getenv()), HexFormat.of().formatHex(bytes));
    }

    static InstanceId of(String host, String random) {
        int room = MAX_LENGTH - 1 - random.length();
        String shortHost = host.length() > room ? host.substring(0, room) : host;
        return new InstanceId(shortHost + "-" + random);
    }

    /** The container's or pod's name where one is set ({@code HOSTNAME}), else what the JDK resolves. */
    static String hostName(Map<String, String> env) {
        String fromEnvironment = env.get("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException unresolvable) {
            return "unknown-host";
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
