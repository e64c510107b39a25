package io.vigil.plugin.dbperf;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.api.Options;
import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.Engine;
import io.vigil.dbconnect.JdbcUrl;
import io.vigil.plugin.dbperf.check.Check;
import io.vigil.plugin.dbperf.check.Thresholds;
import io.vigil.plugin.dbperf.collect.DatabaseSelection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.pf4j.Extension;

/** Declares the {@code dbperf} monitor; the work is in {@link DbPerfMonitor}. */
@Extension
public final class DbPerfMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "dbperf";
    }

    @Override
    public String description() {
        return "Measures a PostgreSQL, MariaDB/MySQL or SQLite database's connections, rates, waits, long "
                + "transactions, size growth and probe latency, and raises an event when one crosses its limit";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("url", OptionType.STRING, "JDBC URL: jdbc:postgresql://host:5432/db, "
                        + "jdbc:mariadb://host:3306/db (or jdbc:mysql://) or jdbc:sqlite:/path/file.db").asRequired(),
                OptionSpec.of("user", OptionType.STRING, "User to connect as (not used for SQLite)"),
                OptionSpec.of("password", OptionType.STRING,
                        "Password; write ${env:NAME} or ${file:/path} to keep it out of the configuration").asSecret(),
                OptionSpec.of("include_databases", OptionType.STRING_LIST, "Databases to report, as globs; when "
                        + "unset, every database (PostgreSQL: all but templates; MariaDB: all but system schemas)"),
                OptionSpec.of("exclude_databases", OptionType.STRING_LIST, "Databases to leave out, as globs"),
                OptionSpec.of("checks", OptionType.STRING_LIST, "Threshold checks that raise events; "
                        + "leave one out to turn it off").withDefault(Arrays.stream(Check.values()).map(Check::id).toList()),
                OptionSpec.of("connections_used_pct", OptionType.DECIMAL, "Connections in use, in % of the "
                        + "maximum (server, or a database's own limit), at or above which dbperf.connections.exceeded "
                        + "(high) is raised").withDefault(80.0),
                OptionSpec.of("transaction_age_max", OptionType.DURATION, "Age of the oldest open transaction in a "
                        + "database above which dbperf.transaction_age.exceeded (medium) is raised").withDefault("10m"),
                OptionSpec.of("deadlocks_max", OptionType.INTEGER, "Deadlocks in one interval above which "
                        + "dbperf.deadlocks.exceeded (medium) is raised").withDefault(0),
                OptionSpec.of("probe_latency_p95_max", OptionType.DURATION, "95th percentile of the probe query's "
                        + "round trip over probe_latency_window above which dbperf.probe_latency.exceeded (medium) is "
                        + "raised").withDefault("100ms"),
                OptionSpec.of("probe_latency_window", OptionType.DURATION,
                        "Window of probe round trips the percentile is taken over").withDefault("5m"),
                OptionSpec.of("size_growth_pct_max", OptionType.DECIMAL, "Growth of a database's size, in % within "
                        + "size_growth_window, above which dbperf.size_growth.exceeded (medium) is raised")
                        .withDefault(20.0),
                OptionSpec.of("size_growth_window", OptionType.DURATION,
                        "Window the size growth is measured over").withDefault("24h"),
                OptionSpec.of("size_growth_min_bytes", OptionType.INTEGER, "Growth in bytes below which size growth "
                        + "never counts as exceeded, whatever its percentage").withDefault(0),
                OptionSpec.of("overrides", OptionType.STRING_MAP, "Per-database limits: database name or glob to "
                        + "\"option=value, ...\" of connections_used_pct, transaction_age_max, deadlocks_max, "
                        + "size_growth_pct_max; a value of off turns the check off there"),
                OptionSpec.of("size_interval", OptionType.DURATION, "Measure database sizes at most this often "
                        + "(they cost more than the rest); 0s measures every poll").withDefault("5m"),
                OptionSpec.of("quick_check_interval", OptionType.DURATION, "SQLite only: run PRAGMA quick_check at "
                        + "most this often and raise dbperf.integrity.failed when it finds a problem; 0s never")
                        .withDefault("0s"),
                OptionSpec.of("connect_timeout", OptionType.DURATION, "Longest wait to connect and log in")
                        .withDefault("10s"),
                OptionSpec.of("query_timeout", OptionType.DURATION, "Longest each statistics query may run")
                        .withDefault("10s"));
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofSeconds(30);
    }

    @Override
    public Monitor create(MonitorContext context) {
        Options o = context.options();
        JdbcUrl url = JdbcUrl.parse(o.string("url"));
        Duration quickCheck = notNegative(o, "quick_check_interval");
        if (!quickCheck.isZero() && url.engine() != Engine.SQLITE) {
            throw new IllegalArgumentException("quick_check_interval is for SQLite files; " + url.display() + " is "
                    + url.engine().scheme() + ": leave quick_check_interval at 0s");
        }
        ConnectionSettings settings = new ConnectionSettings(url, o.isSet("user") ? o.string("user") : null,
                o.isSet("password") ? o.string("password") : null, positive(o, "connect_timeout"),
                positive(o, "query_timeout"), true, "vigil-dbperf");
        DatabaseSelection selection = new DatabaseSelection(list(o, "include_databases"), list(o, "exclude_databases"));
        DbPerfMonitor.Schedule schedule = new DbPerfMonitor.Schedule(notNegative(o, "size_interval"), quickCheck,
                positive(o, "probe_latency_window"), positive(o, "size_growth_window"),
                o.integer("size_growth_min_bytes"));
        return new DbPerfMonitor(context, settings, selection, Thresholds.from(o), schedule);
    }

    private static Duration positive(Options o, String name) {
        Duration d = o.duration(name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be more than 0, got " + d);
        }
        return d;
    }

    private static Duration notNegative(Options o, String name) {
        Duration d = o.duration(name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must be 0s or more, got " + d);
        }
        return d;
    }

    private static List<String> list(Options o, String name) {
        return o.isSet(name) ? o.list(name) : List.of();
    }
}
