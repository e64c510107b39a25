package io.vigil.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name of the host this server runs on: the {@code HOSTNAME} variable (what a container or
 * systemd sets), else the resolved local name, else {@code localhost}. One answer for every part of
 * the server that names itself (its events' host, its log capture's source, its instance id).
 */
public final class LocalHost {

    private static final String NAME = resolve();

    private LocalHost() {
    }

    public static String name() {
        return NAME;
    }

    private static String resolve() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
