package io.vigil.plugin.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the monitor knows about one container: identity, image, labels, the names of its
 * environment variables and its ports, plus its database classification.
 *
 * <p>Environment values are never kept, because they hold passwords; only a few well-known,
 * non-secret variables (database and user names, the environment name) are, for the
 * asset-registration attributes of {@code docker.database.discovered}.
 *
 * @param id           full container id
 * @param name         name without the leading slash
 * @param image        image reference as the container was created from it
 * @param labels       container labels
 * @param envNames     names of the environment variables
 * @param envHints     values of the non-secret variables in {@link #HINT_VARIABLES}
 * @param ports        exposed container ports such as {@code 5432/tcp}
 * @param hostPorts    published host ports by container port
 * @param state        state at the time the facts were read ({@code running}, {@code exited}…)
 * @param database     the database classification
 */
record ContainerFacts(String id, String name, String image, Map<String, String> labels, List<String> envNames,
                      Map<String, String> envHints, List<String> ports, Map<String, Integer> hostPorts,
                      String state, DatabaseMatch database) {

    /** Non-secret variables whose values describe a database container. */
    static final Set<String> HINT_VARIABLES = Set.of("ENV", "ENVIRONMENT", "POSTGRES_DB", "POSTGRES_USER",
            "MYSQL_DATABASE", "MYSQL_USER", "MARIADB_DATABASE", "MARIADB_USER", "MONGO_INITDB_DATABASE");

    /** Attributes of an event actor that are not labels. */
    private static final Set<String> ACTOR_FIELDS = Set.of("name", "image", "exitCode", "signal", "execID",
            "execDuration", "container");

    ContainerFacts {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        envNames = envNames == null ? List.of() : List.copyOf(envNames);
        envHints = envHints == null ? Map.of() : Map.copyOf(envHints);
        ports = ports == null ? List.of() : List.copyOf(ports);
        hostPorts = hostPorts == null ? Map.of() : Map.copyOf(hostPorts);
        state = state == null ? "" : state;
        database = database == null ? DatabaseMatch.NONE : database;
    }

    /** The facts of an inspected container. */
    static ContainerFacts of(InspectContainerResponse inspect) {
        ContainerConfig config = inspect.getConfig();
        List<String> envNames = new ArrayList<>();
        Map<String, String> hints = new TreeMap<>();
        List<String> ports = new ArrayList<>();
        Map<String, String> labels = Map.of();
        String image = inspect.getImageId();
        if (config != null) {
            if (config.getEnv() != null) {
                for (String entry : config.getEnv()) {
                    int eq = entry.indexOf('=');
                    String key = eq < 0 ? entry : entry.substring(0, eq);
                    envNames.add(key);
                    if (eq >= 0 && HINT_VARIABLES.contains(key)) {
                        hints.put(key, entry.substring(eq + 1));
                    }
                }
            }
            if (config.getExposedPorts() != null) {
                for (ExposedPort p : config.getExposedPorts()) {
                    ports.add(p.getPort() + "/" + p.getProtocol().toString());
                }
            }
            if (config.getLabels() != null) {
                labels = config.getLabels();
            }
            if (config.getImage() != null) {
                image = config.getImage();
            }
        }
        Map<String, Integer> hostPorts = new TreeMap<>();
        if (inspect.getNetworkSettings() != null && inspect.getNetworkSettings().getPorts() != null) {
            for (Map.Entry<ExposedPort, Ports.Binding[]> e : inspect.getNetworkSettings().getPorts().getBindings().entrySet()) {
                if (e.getValue() != null && e.getValue().length > 0 && e.getValue()[0].getHostPortSpec() != null) {
                    try {
                        hostPorts.put(e.getKey().getPort() + "/" + e.getKey().getProtocol().toString(),
                                Integer.valueOf(e.getValue()[0].getHostPortSpec()));
                    } catch (NumberFormatException ignored) {
                        // a port range: not a single address to register
                    }
                }
            }
        }
        String state = inspect.getState() == null ? "" : inspect.getState().getStatus();
        return new ContainerFacts(inspect.getId(), trimName(inspect.getName()), image, labels, envNames, hints,
                ports, hostPorts, state, null);
    }

    /**
     * What an event says about its container: name, image and labels. Used when the container is
     * gone before it could be inspected (a replayed event, {@code docker run --rm}).
     */
    static ContainerFacts of(EngineEvent event) {
        Map<String, String> labels = new LinkedHashMap<>();
        event.attributes().forEach((k, v) -> {
            if (!ACTOR_FIELDS.contains(k)) {
                labels.put(k, v);
            }
        });
        return new ContainerFacts(event.containerId(), event.name(), event.attributes().getOrDefault("image", ""),
                labels, List.of(), Map.of(), List.of(), Map.of(), "", null);
    }

    ContainerFacts withDatabase(DatabaseMatch match) {
        return new ContainerFacts(id, name, image, labels, envNames, envHints, ports, hostPorts, state, match);
    }

    String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    static String trimName(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }
}
