package io.vigil.dbconnect;

import java.util.Locale;

/**
 * The database engines Vigil's database plugins connect to, each with the JDBC driver class that
 * serves it and the URL prefixes it accepts.
 */
public enum Engine {
    /** PostgreSQL, through pgjdbc: {@code jdbc:postgresql://host:5432/db}. */
    POSTGRESQL("postgresql", "org.postgresql.Driver", "jdbc:postgresql:"),
    /**
     * MariaDB and MySQL, both through MariaDB Connector/J: {@code jdbc:mariadb://host:3306/db}
     * or {@code jdbc:mysql://host:3306/db} (rewritten to {@code jdbc:mariadb:}, because the
     * driver refuses the mysql scheme unless the URL also says {@code permitMysqlScheme}).
     */
    MARIADB("mariadb", "org.mariadb.jdbc.Driver", "jdbc:mariadb:", "jdbc:mysql:"),
    /** SQLite files, through sqlite-jdbc: {@code jdbc:sqlite:/var/lib/app/app.db}. */
    SQLITE("sqlite", "org.sqlite.JDBC", "jdbc:sqlite:");

    private final String scheme;
    private final String driverClass;
    private final String[] prefixes;

    Engine(String scheme, String driverClass, String... prefixes) {
        this.scheme = scheme;
        this.driverClass = driverClass;
        this.prefixes = prefixes;
    }

    /** The short lower-case name used in messages, subjects and attributes ({@code "postgresql"}). */
    public String scheme() {
        return scheme;
    }

    /** The {@link java.sql.Driver} implementation that serves this engine. */
    public String driverClass() {
        return driverClass;
    }

    /** The prefix the driver itself expects, e.g. {@code jdbc:mariadb:} for a {@code jdbc:mysql:} URL. */
    String driverPrefix() {
        return prefixes[0];
    }

    /** The matching prefix of {@code url} (case-insensitive), or {@code null}. */
    String prefixOf(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (String prefix : prefixes) {
            if (lower.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    /**
     * The engine a JDBC URL is for.
     *
     * @throws IllegalArgumentException naming the accepted prefixes when none matches; the
     *                                  message shows the URL redacted
     */
    public static Engine of(String url) {
        if (url != null) {
            for (Engine engine : values()) {
                if (engine.prefixOf(url.trim()) != null) {
                    return engine;
                }
            }
        }
        throw new IllegalArgumentException("unsupported JDBC URL \"" + (url == null ? "" : JdbcUrl.redact(url))
                + "\": expected jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db (or jdbc:mysql://) "
                + "or jdbc:sqlite:/path/to/file.db");
    }
}
