package io.vigil.plugin.endpoint.probe;

import java.util.Locale;

/**
 * A {@code host:port} to connect to: {@code db1.example:5432}, {@code 10.0.0.5:443},
 * {@code [2001:db8::1]:443}.
 *
 * @param host the host name or IP literal, without brackets
 * @param port 1 to 65535
 */
public record Address(String host, int port) {

    /** Validates the fields. */
    public Address {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException saying what a valid address looks like
     */
    public static Address parse(String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("expected host:port such as db1.example:5432 or [2001:db8::1]:443, got \""
                    + t + "\"");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 address needs brackets: [" + host + "]:" + t.substring(colon + 1));
        }
        try {
            return new Address(host, Integer.parseInt(t.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port of \"" + t + "\" is not a number");
        }
    }

    /** Whether the host is an IP literal rather than a name. */
    public boolean isIpLiteral() {
        return isIpLiteral(host);
    }

    /** Whether {@code host} is an IPv4 or IPv6 literal (no name lookup). */
    public static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host.toLowerCase(Locale.ROOT)) + ":" + port;
    }
}
