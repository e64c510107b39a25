package io.vigil.plugin.docker;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.api.StateStore;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The original monitor's automatic asset registration: the first time a database container is
 * seen, one {@code docker.database.discovered} event carries what an asset inventory needs (asset
 * id and name, location, version, environment, ports, a connection string without password).
 * Container ids already reported are kept in the state store, so neither a second inventory nor
 * an agent restart reports them again; ids of removed containers are forgotten.
 */
final class DatabaseDiscovery {

    static final String STATE_PREFIX = "database.";

    private final StateStore state;
    private final String engine;
    private final Consumer<Event> sink;

    DatabaseDiscovery(StateStore state, String engine, Consumer<Event> sink) {
        this.state = state;
        this.engine = engine;
        this.sink = sink;
    }

    /**
     * Reports a database container seen for the first time.
     *
     * @param atInventory whether it was found by the start-up inventory (low) rather than created
     *                    while the monitor watched (medium, as the original's "new database service")
     */
    void discover(ContainerFacts f, boolean atInventory, Instant time) {
        if (!f.database().database() || state.get(STATE_PREFIX + f.id()).isPresent()) {
            return;
        }
        DatabaseMatch db = f.database();
        String version = DatabaseClassifier.tag(f.image());
        String environment = f.labels().getOrDefault("environment",
                f.envHints().getOrDefault("ENVIRONMENT", f.envHints().getOrDefault("ENV", "development")));
        Event.Builder b = Event.builder("docker.database.discovered")
                .severity(atInventory ? Severity.LOW : Severity.MEDIUM)
                .time(time)
                .subject(f.name())
                .title("database container " + f.name() + " (" + db.kind() + ") discovered")
                .fingerprint("docker:" + engine + ":" + f.name() + ":database")
                .attribute("container_id", f.id())
                .attribute("container", f.name())
                .attribute("image", f.image())
                .attribute("database", true)
                .attribute("database_kind", db.kind())
                .attribute("database_reasons", db.reasons())
                .attribute("discovered_by", atInventory ? "inventory" : "create")
                .attribute("asset_id", "container:" + f.id())
                .attribute("asset_name", f.name() + "_" + db.kind().toUpperCase(Locale.ROOT))
                .attribute("location", "docker://" + f.name())
                .attribute("version", version.equals("latest") ? null : version)
                .attribute("environment", environment.toLowerCase(Locale.ROOT))
                .attribute("ports", f.ports())
                .attribute("host_ports", new LinkedHashMap<String, Object>(f.hostPorts()));
        String connection = connection(f, db.kind());
        if (connection != null) {
            b.attribute("connection", connection);
        }
        sink.accept(b.build());
        state.put(STATE_PREFIX + f.id(), f.name());
    }

    /** Forgets a removed container. */
    void forget(String containerId) {
        state.remove(STATE_PREFIX + containerId);
    }

    /** Forgets every reported container that no longer exists (removed while the agent was down). */
    void retainOnly(Collection<String> existingIds) {
        for (String key : state.entries(STATE_PREFIX).keySet()) {
            if (!existingIds.contains(key.substring(STATE_PREFIX.length()))) {
                state.remove(key);
            }
        }
    }

    /** A connection string on the published port, with user and database but never a password. */
    private static String connection(ContainerFacts f, String kind) {
        Map<String, String> env = f.envHints();
        return switch (kind) {
            case "postgres" -> url("postgresql", env.getOrDefault("POSTGRES_USER", "postgres"),
                    f.hostPorts().get("5432/tcp"), env.getOrDefault("POSTGRES_DB", env.getOrDefault("POSTGRES_USER", "postgres")));
            case "mysql", "mariadb" -> url(kind, env.getOrDefault("MYSQL_USER", env.getOrDefault("MARIADB_USER", "root")),
                    f.hostPorts().get("3306/tcp"), env.getOrDefault("MYSQL_DATABASE", env.getOrDefault("MARIADB_DATABASE", "mysql")));
            case "mongo" -> url("mongodb", null, f.hostPorts().get("27017/tcp"), env.get("MONGO_INITDB_DATABASE"));
            case "redis" -> url("redis", null, f.hostPorts().get("6379/tcp"), null);
            default -> null;
        };
    }

    private static String url(String scheme, String user, Integer port, String database) {
        if (port == null) {
            return null; // not published: reachable only from the container's networks
        }
        return scheme + "://" + (user != null ? user + "@" : "") + "localhost:" + port + (database != null ? "/" + database : "");
    }
}
