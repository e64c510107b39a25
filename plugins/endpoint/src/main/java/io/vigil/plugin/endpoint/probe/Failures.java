package io.vigil.plugin.endpoint.probe;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Network failures as one line an operator can act on. */
final class Failures {

    private Failures() {
    }

    static String describe(Exception e, Address address, Deadline deadline) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof UnknownHostException) {
            return "unknown host " + address.host() + " (check the name and DNS)";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host " + address;
        }
        if (e instanceof ConnectException) {
            return "connection refused by " + address + " (is anything listening there?)";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer from " + address + " within the timeout of " + human(deadline) + " ("
                    + step(message) + ")";
        }
        if (e instanceof SSLException) {
            return "TLS handshake with " + address + " failed: " + message;
        }
        if (e instanceof EOFException) {
            return address + " closed the connection: " + message;
        }
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** The step a timeout happened in: ours name it, the JDK's say "Connect timed out" or "Read timed out". */
    private static String step(String message) {
        if (message.startsWith("timed out during ")) {
            return message.substring("timed out during ".length());
        }
        return message.toLowerCase(java.util.Locale.ROOT).startsWith("connect") ? "connect" : "reading";
    }

    private static String human(Deadline d) {
        long ms = d.budget().toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
