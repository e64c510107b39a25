package io.vigil.dbconnect.testing;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of a test class's own on the real PostgreSQL or MariaDB: created (with optional
 * set-up statements) before the class's first test and dropped after its last, so test classes
 * and parallel builds never see each other's tables.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ScratchDatabase DB = ScratchDatabase.postgres("vigil_dbperf",
 *         "CREATE TABLE accounts (id int PRIMARY KEY)");
 * }</pre>
 */
public final class ScratchDatabase implements BeforeAllCallback, AfterAllCallback {

    /** The two servers the plugins' tests run against, with their ways to connect, create and drop. */
    public enum Engine {
        POSTGRES, MARIADB;

        public Connection connect(String database) {
            return this == POSTGRES ? Databases.postgres(database) : Databases.mariadb(database);
        }

        public String url(String database) {
            return this == POSTGRES ? Databases.postgresUrl(database) : Databases.mariadbUrl(database);
        }

        void create(String database) throws SQLException {
            if (this == POSTGRES) {
                Databases.createPostgres(database);
            } else {
                Databases.createMariadb(database);
            }
        }

        void drop(String database) throws SQLException {
            if (this == POSTGRES) {
                Databases.dropPostgres(database);
            } else {
                Databases.dropMariadb(database);
            }
        }
    }

    private final Engine engine;
    private final String name;
    private final String[] setup;

    private ScratchDatabase(Engine engine, String prefix, String... setup) {
        this.engine = engine;
        this.name = Databases.uniqueName(prefix);
        this.setup = setup.clone();
    }

    public static ScratchDatabase postgres(String prefix, String... setup) {
        return new ScratchDatabase(Engine.POSTGRES, prefix, setup);
    }

    public static ScratchDatabase mariadb(String prefix, String... setup) {
        return new ScratchDatabase(Engine.MARIADB, prefix, setup);
    }

    /** The database's name, unique to this JVM and moment. */
    public String name() {
        return name;
    }

    public String url() {
        return engine.url(name);
    }

    /** A new connection to this database as the tests' superuser; the caller closes it. */
    public Connection connect() {
        return engine.connect(name);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        engine.create(name);
        if (setup.length > 0) {
            try (Connection c = connect()) {
                Databases.exec(c, setup);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        engine.drop(name);
    }
}
