package io.vigil.plugin.schema.catalog;

import io.vigil.dbconnect.Engine;
import io.vigil.plugin.schema.snapshot.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reads one engine's catalog into a {@link Snapshot}. Implementations issue one query per kind
 * of object for the whole database (not one per table), and never write.
 */
public interface CatalogReader {

    /**
     * Takes a snapshot of what {@code scope} covers.
     *
     * @param queryTimeoutSeconds the limit for each statement
     */
    Snapshot read(Connection connection, Scope scope, int queryTimeoutSeconds) throws SQLException;

    /** The reader for an engine. */
    static CatalogReader forEngine(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> new PostgresCatalog();
            case MARIADB -> new MariaDbCatalog();
            case SQLITE -> new SqliteCatalog();
        };
    }
}
