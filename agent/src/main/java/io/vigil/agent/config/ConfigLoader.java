package io.vigil.agent.config;

import io.vigil.api.OptionType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates an agent configuration file, collecting every problem before failing.
 * Unknown keys are errors with a suggestion, since a misspelt key silently ignored is a monitor
 * silently misconfigured. Relative paths are resolved against the file's directory.
 */
public final class ConfigLoader {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final Set<String> TOP = Set.of("agent", "server", "paths", "spool", "monitors");
    private static final Set<String> AGENT = Set.of("name", "host", "listen", "heartbeat_interval", "drain_timeout");
    private static final Set<String> SERVER = Set.of("url", "token", "timeout");
    private static final Set<String> PATHS = Set.of("plugins", "state");
    private static final Set<String> SPOOL = Set.of("max_bytes", "batch_max_items", "batch_max_bytes",
            "linger", "gzip", "initial_backoff", "max_backoff");
    private static final Set<String> MONITOR = Set.of("name", "plugin", "kind", "interval", "timeout",
            "enabled", "options");

    private final String display;
    private final LocatedYaml yaml;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigLoader(String display, LocatedYaml yaml) {
        this.display = display;
        this.yaml = yaml;
    }

    /**
     * Loads {@code file}.
     *
     * @throws ConfigException listing every problem, each with file, line and key path
     */
    public static AgentConfig load(Path file) throws IOException, ConfigException {
        String display = file.toString();
        LocatedYaml yaml;
        try {
            yaml = LocatedYaml.read(file, display);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigProblem(display, 0, "",
                    "no such file; pass the agent configuration with --config")));
        }
        return new ConfigLoader(display, yaml).build(file.toAbsolutePath().getParent());
    }

    private AgentConfig build(Path baseDir) throws ConfigException {
        Map<String, Object> root = section(yaml.root(), "", TOP, true);
        if (root.isEmpty() && !problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Map<String, Object> agent = section(root.get("agent"), "agent", AGENT, false);
        Map<String, Object> server = section(root.get("server"), "server", SERVER, true);
        Map<String, Object> paths = section(root.get("paths"), "paths", PATHS, false);
        Map<String, Object> spool = section(root.get("spool"), "spool", SPOOL, false);

        String host = text(agent, "agent.host", null);
        if (host == null) {
            host = localHostName();
        }
        String agentName = text(agent, "agent.name", host);
        InetSocketAddress listen = listenAddress(text(agent, "agent.listen", "127.0.0.1:9273"));
        Duration heartbeat = typed(agent, "agent.heartbeat_interval", OptionType.DURATION, Duration.ofSeconds(30));
        Duration drain = typed(agent, "agent.drain_timeout", OptionType.DURATION, Duration.ofSeconds(10));
        URI url = serverUrl(server.get("url"));
        String token = text(server, "server.token", null);
        if (token == null && root.containsKey("server")) {
            add("server.token", "is required: the agent token the server issued, or ${env:NAME} / ${file:/path}");
        }
        Duration httpTimeout = typed(server, "server.timeout", OptionType.DURATION, Duration.ofSeconds(10));
        Path pluginsDir = baseDir.resolve(text(paths, "paths.plugins", "plugins")).normalize();
        Path stateDir = baseDir.resolve(text(paths, "paths.state", "state")).normalize();

        AgentConfig.SpoolSettings spoolSettings = new AgentConfig.SpoolSettings(
                size(spool, "spool.max_bytes", 256L << 20),
                (int) (long) typed(spool, "spool.batch_max_items", OptionType.INTEGER, 5000L),
                size(spool, "spool.batch_max_bytes", 4L << 20),
                typed(spool, "spool.linger", OptionType.DURATION, Duration.ofMillis(200)),
                typed(spool, "spool.gzip", OptionType.BOOLEAN, true),
                typed(spool, "spool.initial_backoff", OptionType.DURATION, Duration.ofMillis(500)),
                typed(spool, "spool.max_backoff", OptionType.DURATION, Duration.ofSeconds(30)));
        if (spoolSettings.batchMaxItems() < 1) {
            add("spool.batch_max_items", "must be at least 1");
        }

        List<MonitorConfig> monitors = monitors(root.get("monitors"));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new AgentConfig(Path.of(display), agentName, host, url, token, httpTimeout, pluginsDir, stateDir,
                spoolSettings, monitors, listen, heartbeat, drain);
    }

    private List<MonitorConfig> monitors(Object raw) {
        List<MonitorConfig> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof List<?> list)) {
            add("monitors", "expected a list of monitors");
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "monitors[" + i + "]";
            Map<String, Object> m = section(list.get(i), path, MONITOR, true);
            if (m.isEmpty()) {
                continue;
            }
            String name = text(m, path + ".name", null);
            String plugin = text(m, path + ".plugin", null);
            if (name == null) {
                add(path + ".name", "is required: a unique name for this monitor, e.g. \"containers\"");
            } else if (!NAME.matcher(name).matches()) {
                add(path + ".name", "\"" + name + "\" must be lower-case letters, digits, '-', '_' or '.'");
            } else if (!names.add(name)) {
                add(path + ".name", "\"" + name + "\" is already used by another monitor");
            }
            if (plugin == null) {
                add(path + ".plugin", "is required: the id of the plugin that provides this monitor");
            }
            String kind = text(m, path + ".kind", null);
            Duration interval = typed(m, path + ".interval", OptionType.DURATION, null);
            Duration timeout = typed(m, path + ".timeout", OptionType.DURATION, null);
            if (interval != null && interval.compareTo(Duration.ofMillis(100)) < 0) {
                add(path + ".interval", "must be at least 100ms");
            }
            boolean enabled = typed(m, path + ".enabled", OptionType.BOOLEAN, true);
            Object rawOptions = m.get("options");
            Map<String, Object> options = new LinkedHashMap<>();
            Map<String, Integer> optionLines = new HashMap<>();
            optionLines.put("", yaml.lineOf(path));
            if (rawOptions instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    options.put((String) k, v);
                    optionLines.put((String) k, yaml.lineOf(path + ".options." + k));
                });
            } else if (rawOptions != null) {
                add(path + ".options", "expected a map of option names to values");
            }
            out.add(new MonitorConfig(name, plugin, kind, interval, timeout, enabled, options, path, optionLines));
        }
        return out;
    }

    /** {@code host:port}, or {@code off} for no endpoint (null). */
    private InetSocketAddress listenAddress(String text) {
        if (text.equals("off")) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (colon > 0 && port >= 0 && port <= 65535) {
                return new InetSocketAddress(text.substring(0, colon), port);
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        add("agent.listen", "expected host:port such as 127.0.0.1:9273, or off; got \"" + text + "\"");
        return null;
    }

    private URI serverUrl(Object raw) {
        if (raw == null) {
            if (problems.stream().noneMatch(p -> p.path().equals("server"))) {
                add("server.url", "is required: the Vigil server's base URL, e.g. http://vigil.example:8080");
            }
            return null;
        }
        try {
            URI uri = URI.create(raw.toString().trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                add("server.url", "expected an http:// or https:// URL, got \"" + raw + "\"");
                return null;
            }
            return uri;
        } catch (IllegalArgumentException e) {
            add("server.url", "expected an http:// or https:// URL, got \"" + raw + "\"");
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(Object raw, String path, Set<String> known, boolean required) {
        if (raw == null) {
            if (required) {
                add(path, path.isEmpty() ? "the file is empty; see the sample agent.yml"
                        : "is required");
            }
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            add(path, "expected a map of keys to values");
            return Map.of();
        }
        for (Object key : map.keySet()) {
            if (!known.contains(key)) {
                String keyPath = path.isEmpty() ? key.toString() : path + "." + key;
                add(keyPath, "unknown key" + DidYouMean.hint(key.toString(), known));
            }
        }
        return (Map<String, Object>) map;
    }

    private String text(Map<String, Object> map, String path, String fallback) {
        Object raw = map.get(leaf(path));
        if (raw == null) {
            return fallback;
        }
        if (raw instanceof Map || raw instanceof List) {
            add(path, "expected a string");
            return fallback;
        }
        String text = raw.toString().trim();
        return text.isEmpty() ? fallback : text;
    }

    @SuppressWarnings("unchecked")
    private <T> T typed(Map<String, Object> map, String path, OptionType type, T fallback) {
        Object raw = map.get(leaf(path));
        if (raw == null) {
            return fallback;
        }
        try {
            return (T) type.parse(raw);
        } catch (IllegalArgumentException e) {
            add(path, e.getMessage());
            return fallback;
        }
    }

    private long size(Map<String, Object> map, String path, long fallback) {
        Object raw = map.get(leaf(path));
        if (raw == null) {
            return fallback;
        }
        try {
            return ByteSize.parse(raw);
        } catch (IllegalArgumentException | ArithmeticException e) {
            add(path, e.getMessage());
            return fallback;
        }
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private void add(String path, String message) {
        problems.add(new ConfigProblem(display, yaml.lineOf(path), path, message));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }
}
