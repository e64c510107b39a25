package io.vigil.plugin.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recognises database containers, like the original monitor did, by four independent rules: the
 * image name contains a known database name, an exposed port is a database port, an environment
 * variable starts with a database prefix, or a label says so. A label also says so the other way:
 * {@code vigil.role=app} on a container whose environment merely points at a database (an
 * application with {@code POSTGRES_PASSWORD}) settles it as not a database.
 */
final class DatabaseClassifier {

    private static final Map<String, String> KIND_BY_NAME = Map.ofEntries(
            Map.entry("postgresql", "postgres"), Map.entry("postgis", "postgres"), Map.entry("timescale", "postgres"),
            Map.entry("mongodb", "mongo"), Map.entry("mongo", "mongo"), Map.entry("sqlserver", "mssql"),
            Map.entry("elastic", "elasticsearch"));

    private static final Map<Integer, String> KIND_BY_PORT = Map.ofEntries(
            Map.entry(5432, "postgres"), Map.entry(3306, "mysql"), Map.entry(1433, "mssql"), Map.entry(27017, "mongo"),
            Map.entry(6379, "redis"), Map.entry(1521, "oracle"), Map.entry(5984, "couchdb"),
            Map.entry(9200, "elasticsearch"), Map.entry(9042, "cassandra"), Map.entry(8123, "clickhouse"),
            Map.entry(9000, "clickhouse"), Map.entry(26257, "cockroach"), Map.entry(7687, "neo4j"),
            Map.entry(8086, "influxdb"), Map.entry(11211, "memcached"));

    private final List<String> imagePatterns;
    private final List<Integer> ports;
    private final List<String> envPrefixes;
    private final List<String[]> labels;

    DatabaseClassifier(List<String> imagePatterns, List<Integer> ports, List<String> envPrefixes, List<String> labelRules) {
        this.imagePatterns = imagePatterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
        this.ports = List.copyOf(ports);
        this.envPrefixes = List.copyOf(envPrefixes);
        this.labels = labelRules.stream().map(rule -> {
            int eq = rule.indexOf('=');
            return eq < 0 ? new String[] {rule, null} : new String[] {rule.substring(0, eq), rule.substring(eq + 1)};
        }).toList();
    }

    DatabaseMatch classify(ContainerFacts facts) {
        List<String> reasons = new ArrayList<>();
        String kind = null;
        // an explicit label decides either way
        for (String[] rule : labels) {
            String value = facts.labels().get(rule[0]);
            if (value == null) {
                continue;
            }
            if (rule[1] == null || rule[1].equalsIgnoreCase(value)) {
                reasons.add("label:" + rule[0] + "=" + value);
            } else {
                return new DatabaseMatch(false, "", List.of("label:" + rule[0] + "=" + value));
            }
        }
        String repository = repository(facts.image());
        for (String pattern : imagePatterns) {
            if (!pattern.isEmpty() && repository.contains(pattern)) {
                reasons.add("image:" + pattern);
                kind = kind != null ? kind : kindOf(pattern);
                break;
            }
        }
        for (String port : facts.ports()) {
            int slash = port.indexOf('/');
            try {
                int number = Integer.parseInt(slash < 0 ? port : port.substring(0, slash));
                if (ports.contains(number)) {
                    reasons.add("port:" + port);
                    kind = kind != null ? kind : KIND_BY_PORT.get(number);
                }
            } catch (NumberFormatException ignored) {
                // not a port number
            }
        }
        for (String prefix : envPrefixes) {
            if (facts.envNames().stream().anyMatch(n -> n.startsWith(prefix))) {
                reasons.add("env:" + prefix);
                kind = kind != null ? kind : envKind(prefix);
            }
        }
        if (reasons.isEmpty()) {
            return DatabaseMatch.NONE;
        }
        return new DatabaseMatch(true, kind != null ? kind : "unknown", reasons);
    }

    /** The image's repository name without registry host, namespace and tag: {@code postgres}. */
    static String repository(String image) {
        String ref = image == null ? "" : image.toLowerCase(Locale.ROOT);
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
        }
        int slash = ref.lastIndexOf('/');
        String last = slash < 0 ? ref : ref.substring(slash + 1);
        int colon = last.indexOf(':');
        return colon < 0 ? last : last.substring(0, colon);
    }

    /** The image tag, or {@code latest} when none is given. */
    static String tag(String image) {
        String ref = image == null ? "" : image;
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.indexOf(':', slash + 1);
        return colon < 0 ? "latest" : ref.substring(colon + 1);
    }

    /** {@code MONGO_INITDB_} is mongo, {@code PGDATA} postgres: the product the prefix belongs to. */
    private static String envKind(String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT);
        if (p.startsWith("pg")) {
            return "postgres";
        }
        int underscore = p.indexOf('_');
        return kindOf(underscore > 0 ? p.substring(0, underscore) : p);
    }

    private static String kindOf(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return KIND_BY_NAME.getOrDefault(n, n);
    }
}
