package io.vigil.plugin.schema;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.api.Options;
import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.Engine;
import io.vigil.dbconnect.JdbcUrl;
import io.vigil.plugin.schema.catalog.Scope;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/** Declares the {@code schema} monitor; the work is in {@link SchemaMonitor}. */
@Extension
public final class SchemaMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "schema";
    }

    @Override
    public String description() {
        return "Snapshots a PostgreSQL, MariaDB/MySQL or SQLite schema and reports each change with its risk";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("url", OptionType.STRING, "JDBC URL: jdbc:postgresql://host:5432/db, "
                        + "jdbc:mariadb://host:3306/db (or jdbc:mysql://) or jdbc:sqlite:/path/file.db").asRequired(),
                OptionSpec.of("user", OptionType.STRING, "User to connect as (not used for SQLite)"),
                OptionSpec.of("password", OptionType.STRING,
                        "Password; write ${env:NAME} or ${file:/path} to keep it out of the configuration").asSecret(),
                OptionSpec.of("include_schemas", OptionType.STRING_LIST, "Schemas to watch, as globs; when unset, "
                        + "every non-system schema (MariaDB: the URL's database; SQLite: main)"),
                OptionSpec.of("exclude_schemas", OptionType.STRING_LIST, "Schemas to leave out, as globs"),
                OptionSpec.of("include_tables", OptionType.STRING_LIST,
                        "Tables and views to watch, as globs on table or schema.table; when unset, all"),
                OptionSpec.of("exclude_tables", OptionType.STRING_LIST,
                        "Tables and views to leave out, as globs on table or schema.table"),
                OptionSpec.of("immediate", OptionType.BOOLEAN, "PostgreSQL only: install event triggers and LISTEN, "
                        + "so a change is reported within seconds; falls back to polling when not permitted")
                        .withDefault(false),
                OptionSpec.of("connect_timeout", OptionType.DURATION, "Longest wait to connect and log in")
                        .withDefault("10s"),
                OptionSpec.of("query_timeout", OptionType.DURATION, "Longest each catalog query may run")
                        .withDefault("30s"));
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofMinutes(15);
    }

    @Override
    public Monitor create(MonitorContext context) {
        Options o = context.options();
        JdbcUrl url = JdbcUrl.parse(o.string("url"));
        Duration connectTimeout = positive(o, "connect_timeout");
        Duration queryTimeout = positive(o, "query_timeout");
        boolean immediate = o.bool("immediate");
        if (immediate && url.engine() != Engine.POSTGRESQL) {
            throw new IllegalArgumentException("immediate: true needs PostgreSQL (event triggers and LISTEN/NOTIFY); "
                    + url.display() + " is " + url.engine().scheme() + ": set immediate: false, changes are found "
                    + "every interval");
        }
        ConnectionSettings settings = new ConnectionSettings(url, o.isSet("user") ? o.string("user") : null,
                o.isSet("password") ? o.string("password") : null, connectTimeout, queryTimeout, true,
                "vigil-schema");
        Scope scope = new Scope(list(o, "include_schemas"), list(o, "exclude_schemas"), list(o, "include_tables"),
                list(o, "exclude_tables"));
        return new SchemaMonitor(context, settings, scope, immediate);
    }

    private static Duration positive(Options o, String name) {
        Duration d = o.duration(name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be more than 0, got " + d);
        }
        return d;
    }

    private static List<String> list(Options o, String name) {
        return o.isSet(name) ? o.list(name) : List.of();
    }
}
