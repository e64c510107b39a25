package io.vigil.server.healthlog;

import io.micronaut.context.annotation.Value;
import io.vigil.server.LocalHost;
import jakarta.inject.Singleton;


/**
 * This server's name among replicas ({@code vigil.instance-id}, default the host name), the middle
 * part of its component names ({@code server/<instance>/database}), so that two replicas' samples
 * never mix. Two replicas on one host must each set {@code vigil.instance-id}.
 */
@Singleton
public class ServerInstance {

    private final String id;

    ServerInstance(@Value("${vigil.instance-id:}") String configured) {
        String id = configured == null || configured.isBlank() ? LocalHost.name() : configured.strip();
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("vigil.instance-id must be 1 to 100 letters, digits, '.', '_' or '-' "
                    + "starting with a letter or digit, got \"" + id + "\"");
        }
        this.id = id;
    }

    /** The instance id. */
    public String id() {
        return id;
    }

    /** The component name of one part of this server, e.g. {@code server/web-1/database}. */
    public String component(String part) {
        return "server/" + id + "/" + part;
    }
}
