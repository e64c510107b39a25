package io.vigil.plugin.docker;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code containers} monitor: follows one Docker engine's container lifecycle. See the
 * plugin README for the events and metrics it emits.
 */
@Extension
public final class DockerMonitorFactory implements MonitorFactory {

    static final String KIND = "containers";

    static final List<String> DEFAULT_DATABASE_IMAGES = List.of("postgres", "postgis", "timescale", "mysql", "mariadb",
            "percona", "mongo", "redis", "valkey", "elasticsearch", "opensearch", "cassandra", "scylla", "clickhouse",
            "couchdb", "couchbase", "cockroach", "neo4j", "influxdb", "oracle", "mssql", "sqlserver", "memcached");
    static final List<String> DEFAULT_DATABASE_PORTS = List.of("5432", "3306", "1433", "1521", "27017", "6379", "9200",
            "9042", "8123", "5984", "26257", "7687", "8086");
    static final List<String> DEFAULT_DATABASE_ENV_PREFIXES = List.of("POSTGRES_", "PGDATA", "MYSQL_", "MARIADB_",
            "MONGO_INITDB_", "REDIS_", "ORACLE_", "ELASTIC_", "CASSANDRA_", "CLICKHOUSE_", "MSSQL_", "NEO4J_", "INFLUXDB_");
    static final List<String> DEFAULT_DATABASE_LABELS = List.of("vigil.role=database", "service.type=database");

    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.of("host", OptionType.STRING,
                    "Engine address: unix:///path/to/docker.sock or tcp://host:port").withDefault("unix:///var/run/docker.sock"),
            OptionSpec.of("api_version", OptionType.STRING,
                    "Engine API version to speak, or auto to use the version the engine reports").withDefault("1.41"),
            OptionSpec.of("tls_verify", OptionType.BOOLEAN,
                    "Connect to a tcp:// host over TLS with a client certificate").withDefault(false),
            OptionSpec.of("tls_cert_path", OptionType.STRING,
                    "Directory holding ca.pem, cert.pem and key.pem for TLS"),
            OptionSpec.of("include_names", OptionType.STRING_LIST,
                    "Follow only containers whose name matches one of these glob patterns; empty follows all").withDefault(List.of()),
            OptionSpec.of("include_labels", OptionType.STRING_LIST,
                    "Follow only containers carrying all of these labels (key or key=value); empty follows all").withDefault(List.of()),
            OptionSpec.of("stop_correlation_window", OptionType.DURATION,
                    "How long after a stop or kill request a container's exit still counts as planned").withDefault("30s"),
            OptionSpec.of("restart_loop_count", OptionType.INTEGER,
                    "Restarts after unplanned exits within restart_loop_window that make a restart loop").withDefault(3),
            OptionSpec.of("restart_loop_window", OptionType.DURATION,
                    "Window for restart_loop_count; a loop ends after this long without an unplanned exit").withDefault("5m"),
            OptionSpec.of("database_images", OptionType.STRING_LIST,
                    "Image name fragments that mark a database container").withDefault(DEFAULT_DATABASE_IMAGES),
            OptionSpec.of("database_ports", OptionType.STRING_LIST,
                    "Exposed container ports that mark a database container").withDefault(DEFAULT_DATABASE_PORTS),
            OptionSpec.of("database_env_prefixes", OptionType.STRING_LIST,
                    "Environment variable name prefixes that mark a database container").withDefault(DEFAULT_DATABASE_ENV_PREFIXES),
            OptionSpec.of("database_labels", OptionType.STRING_LIST,
                    "Labels (key=value, or key for any value) that mark a database container; the key with another value marks it as not one")
                    .withDefault(DEFAULT_DATABASE_LABELS),
            OptionSpec.of("metrics_interval", OptionType.DURATION,
                    "How often to sample CPU, memory and restart count per running container; 0s turns metrics off").withDefault("0s"),
            OptionSpec.of("metrics_concurrency", OptionType.INTEGER,
                    "At most this many containers are sampled at once").withDefault(4));

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String description() {
        return "Follows a Docker engine: container inventory, lifecycle events, restart loops, database containers";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public Monitor create(MonitorContext context) {
        return new DockerMonitor(context, DockerSettings.of(context.options()));
    }
}
