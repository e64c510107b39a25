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

    public Array uuid(java.util.UUID[] values) throws SQLException {
        return connection.createArrayOf("uuid", values);
    }

    /**
     * Microseconds since 1970, rounded to the nearest (half to even) as PostgreSQL rounds a time
     * given as text. Times travel in the bulk inserts as {@code int8[]} of these and become
     * {@code TIMESTAMPTZ 'epoch' + micros * INTERVAL '1 microsecond'}: cheaper for both sides to
     * encode and decode than ISO-8601 text, and the stored value is the one the text would give.
     */
    public static long epochMicros(java.time.Instant t) {
        long micros = Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1000;
        int rest = t.getNano() % 1000;
        if (rest > 500 || (rest == 500 && (micros & 1) == 1)) {
            micros++;
        }
        return micros;
    }
}
