package io.vigil.plugin.schema.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

/** Running a catalog query with the statement timeout, row by row. */
final class CatalogQueries {

    private CatalogQueries() {
    }

    interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    static void query(Connection c, String sql, int timeoutSeconds, RowHandler handler, Object... params)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setQueryTimeout(timeoutSeconds);
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }

    /** The first 128 bits of SHA-256, hex: enough to notice a changed routine body without storing it. */
    static String sha256(String text) {
        if (text == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
