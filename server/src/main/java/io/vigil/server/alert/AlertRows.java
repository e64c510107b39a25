package io.vigil.server.alert;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.server.event.Severity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Reads and writes {@code alerts} rows. */
public final class AlertRows {

    /** The select list that {@link #read} expects. */
    public static final String COLUMNS = "id, rule_id, rule_kind, fingerprint, state, severity, title, message, "
            + "labels::text AS labels, count, first_seen_at, last_seen_at, value, escalation_level, acknowledged_at, "
            + "acknowledged_by, resolved_at, resolved_by, resolution";

    private static final Argument<Map<String, String>> LABELS = Argument.mapOf(String.class, String.class);

    private final JsonMapper json;

    public AlertRows(JsonMapper json) {
        this.json = json;
    }

    public Alert read(ResultSet rs) throws SQLException {
        double value = rs.getDouble("value");
        Double boxed = rs.wasNull() ? null : value;
        return new Alert(rs.getLong("id"), rs.getString("rule_id"), rs.getString("rule_kind"),
                rs.getString("fingerprint"), AlertState.fromWireName(rs.getString("state")).orElseThrow(),
                Severity.fromCode(rs.getShort("severity")), rs.getString("title"), rs.getString("message"),
                labels(rs.getString("labels")), rs.getInt("count"), instant(rs, "first_seen_at"),
                instant(rs, "last_seen_at"), boxed, rs.getInt("escalation_level"), instant(rs, "acknowledged_at"),
                rs.getString("acknowledged_by"), instant(rs, "resolved_at"), rs.getString("resolved_by"),
                rs.getString("resolution"));
    }

    /** The alerts with these ids, in the caller's transaction, by id. */
    public java.util.List<Alert> load(java.sql.Connection c, java.util.Collection<Long> ids) throws SQLException {
        java.util.List<Alert> out = new java.util.ArrayList<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (java.sql.PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS
                + " FROM alerts WHERE id = ANY(?) ORDER BY id")) {
            st.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    public Map<String, String> labels(String text) {
        try {
            return new TreeMap<>(json.readValue(text, LABELS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String labelsJson(Map<String, String> labels) {
        try {
            return json.writeValueAsString(new TreeMap<>(labels));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    public static @Nullable Timestamp timestamp(@Nullable Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
