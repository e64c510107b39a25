package io.vigil.server.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A statement assembled from fixed SQL fragments, each with the values of its {@code ?} markers.
 * Values are only ever bound as parameters, never spliced into the text; a {@link SqlArray} value
 * becomes a {@link java.sql.Array} of the connection.
 */
public final class Sql {

    /**
     * {@code t} as the bind value of a {@code timestamptz} parameter: an {@code OffsetDateTime} in
     * UTC, which the driver sends exactly (an {@code Instant} it does not take).
     */
    public static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Object> values = new ArrayList<>();

    public Sql(String fragment, Object... values) {
        add(fragment, values);
    }

    /** Appends a fragment and the values of its {@code ?} markers, in order. */
    public Sql add(String fragment, Object... values) {
        long markers = fragment.chars().filter(ch -> ch == '?').count();
        if (markers != values.length) {
            throw new IllegalArgumentException(values.length + " values for " + markers + " markers in: " + fragment);
        }
        text.append(fragment);
        Collections.addAll(this.values, values);
        return this;
    }

    /** The SQL text so far. */
    public String text() {
        return text.toString();
    }

    /** Prepares the statement on {@code c} with every value bound, and a timeout in seconds (0: none). */
    public PreparedStatement prepare(Connection c, int timeoutSeconds) throws SQLException {
        PreparedStatement st = c.prepareStatement(text.toString());
        try {
            st.setQueryTimeout(timeoutSeconds);
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (v instanceof SqlArray a) {
                    st.setArray(i + 1, c.createArrayOf(a.type(), a.elements()));
                } else {
                    st.setObject(i + 1, v);
                }
            }
            return st;
        } catch (SQLException | RuntimeException e) {
            st.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
