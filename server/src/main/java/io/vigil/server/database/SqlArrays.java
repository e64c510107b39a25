package io.vigil.server.database;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Builds the {@link Array} parameters of the bulk {@code unnest(...)} inserts. Values travel as
 * text or numbers and the SQL casts them ({@code ?::uuid[]}, {@code ?::jsonb[]}), which keeps the
 * binding independent of driver-specific object types.
 */
public final class SqlArrays {

    private final Connection connection;

    public SqlArrays(Connection connection) {
        this.connection = connection;
    }

    public Array text(String[] values) throws SQLException {
        return connection.createArrayOf("text", values);
    }

    public Array smallint(Short[] values) throws SQLException {
        return connection.createArrayOf("int2", values);
    }

    public Array float8(Double[] values) throws SQLException {
        return connection.createArrayOf("float8", values);
    }

    public Array bigint(Long[] values) throws SQLException {
        return connection.createArrayOf("int8", values);
    }
}
