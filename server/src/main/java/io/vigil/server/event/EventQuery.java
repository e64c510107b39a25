package io.vigil.server.event;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.database.Sql;
import io.vigil.server.database.SqlArray;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds events, one page at a time, newest first (or oldest first).
 *
 * <p>Keyset pagination on (time, id): a page asks for rows strictly after the cursor in the page
 * order, so pages stay stable while new events arrive (they sort before the cursor, onto page one,
 * and never shift later pages) and a deep page costs the same as the first. The redundant
 * {@code time <= cursor.time} bounds the range scan of {@code events_time_id_idx} (or of the type
 * and severity indexes) and lets PostgreSQL skip whole partitions.
 *
 * <p>SQL is assembled from fixed fragments; every value travels as a bind parameter.
 */
@Singleton
public class EventQuery {

    static final String COLUMNS = "id, time, received_at, agent_id, host, agent, monitor, plugin, type, severity, "
            + "subject, title, attributes::text AS attributes, fingerprint, trace_id, session_id";
    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);

    private final ConnectionPool pool;
    private final JsonMapper json;
    private final int timeoutSeconds;

    EventQuery(ConnectionPool pool, JsonMapper json, @Value("${vigil.query.timeout:30s}") Duration timeout) {
        this.pool = pool;
        this.json = json;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    /** One page of events matching {@code filter}, and the cursor of the next page if there is one. */
    public Page find(EventFilter filter) {
        Sql sql = new Sql("SELECT " + COLUMNS + " FROM events WHERE true");
        where(filter, sql);
        EventCursor cursor = filter.cursor();
        if (cursor != null) {
            OffsetDateTime t = OffsetDateTime.ofInstant(cursor.time(), ZoneOffset.UTC);
            if (filter.ascending()) {
                sql.add(" AND time >= ? AND (time, id) > (?, ?)", t, t, cursor.id());
            } else {
                sql.add(" AND time <= ? AND (time, id) < (?, ?)", t, t, cursor.id());
            }
        }
        sql.add(filter.ascending() ? " ORDER BY time, id" : " ORDER BY time DESC, id DESC");
        // one more than asked: tells whether a next page exists without a count query
        sql.add(" LIMIT ?", filter.limit() + 1);
        List<StoredEvent> rows = pool.with(c -> read(c, sql));
        boolean more = rows.size() > filter.limit();
        List<StoredEvent> page = more ? rows.subList(0, filter.limit()) : rows;
        return new Page(List.copyOf(page), more ? EventCursor.after(page.get(page.size() - 1)) : null);
    }

    /** The event with this id. */
    public Optional<StoredEvent> find(UUID id) {
        Sql sql = new Sql("SELECT " + COLUMNS + " FROM events WHERE id = ? ORDER BY time LIMIT 1", id);
        return pool.with(c -> read(c, sql)).stream().findFirst();
    }

    /**
     * Adds the conditions of {@code filter} (everything but the cursor) to {@code sql}; used by the
     * statistics too, so "the events matching these parameters" means the same everywhere.
     */
    public void where(EventFilter filter, Sql sql) {
        if (filter.typePrefixes().isEmpty()) {
            any(sql, "type", filter.exactTypes());
        } else { // exact types or prefixes: any of them
            sql.add(" AND (");
            if (!filter.exactTypes().isEmpty()) {
                sql.add("type = ANY(?) OR ", textArray(filter.exactTypes()));
            }
            for (int i = 0; i < filter.typePrefixes().size(); i++) {
                sql.add((i == 0 ? "" : " OR ") + "type LIKE ? ESCAPE '\\'", likeEscape(filter.typePrefixes().get(i)) + "%");
            }
            sql.add(")");
        }
        short[] severities = filter.severityCodes();
        if (severities.length > 0) {
            boolean upward = severities[severities.length - 1] == Severity.CRITICAL.code()
                    && severities[severities.length - 1] - severities[0] == severities.length - 1;
            if (upward) {
                sql.add(" AND severity >= ?", severities[0]); // a range scan of events_severity_time_idx
            } else {
                Short[] boxed = new Short[severities.length];
                for (int i = 0; i < severities.length; i++) {
                    boxed[i] = severities[i];
                }
                sql.add(" AND severity = ANY(?)", new SqlArray("int2", boxed));
            }
        }
        any(sql, "host", filter.hosts());
        any(sql, "agent", filter.agents());
        any(sql, "plugin", filter.plugins());
        any(sql, "monitor", filter.monitors());
        any(sql, "subject", filter.subjects());
        if (filter.traceId() != null) {
            sql.add(" AND trace_id = ?", filter.traceId());
        }
        if (filter.sessionId() != null) {
            sql.add(" AND session_id = ?", filter.sessionId());
        }
        if (filter.fingerprint() != null) {
            sql.add(" AND fingerprint = ?", filter.fingerprint());
        }
        filter.attributes().forEach((key, value) -> {
            // attributes @> {"key": value} is what events_attributes_idx (jsonb_path_ops) serves.
            // A value that reads as a JSON number or boolean also matches that type: attr.exit_code=137
            // finds {"exit_code": 137} and {"exit_code": "137"}.
            Object typed = typed(value);
            if (typed == null) {
                sql.add(" AND attributes @> ?::jsonb", containment(key, value));
            } else {
                sql.add(" AND (attributes @> ?::jsonb OR attributes @> ?::jsonb)", containment(key, value),
                        containment(key, typed));
            }
        });
        if (filter.text() != null) {
            sql.add(" AND title ILIKE ? ESCAPE '\\'", "%" + likeEscape(filter.text()) + "%");
        }
        if (filter.since() != null) {
            sql.add(" AND time >= ?", OffsetDateTime.ofInstant(filter.since(), ZoneOffset.UTC));
        }
        if (filter.until() != null) {
            sql.add(" AND time < ?", OffsetDateTime.ofInstant(filter.until(), ZoneOffset.UTC));
        }
    }

    /** {@code column = ?} for one value (planned with its own statistics), {@code = ANY(?)} for several. */
    private static void any(Sql sql, String column, List<String> values) {
        if (values.size() == 1) {
            sql.add(" AND " + column + " = ?", values.get(0));
        } else if (!values.isEmpty()) {
            sql.add(" AND " + column + " = ANY(?)", textArray(values));
        }
    }

    private List<StoredEvent> read(Connection c, Sql sql) throws SQLException {
        try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
            List<StoredEvent> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new StoredEvent(rs.getObject("id", UUID.class), instant(rs, "time"),
                        instant(rs, "received_at"), rs.getObject("agent_id", Long.class), rs.getString("host"),
                        rs.getString("agent"), rs.getString("monitor"), rs.getString("plugin"), rs.getString("type"),
                        rs.getShort("severity"), rs.getString("subject"), rs.getString("title"),
                        object(rs.getString("attributes")), rs.getString("fingerprint"), rs.getString("trace_id"),
                        rs.getString("session_id")));
            }
            return rows;
        }
    }

    private Map<String, Object> object(String text) {
        try {
            return json.readValue(text, JSON_OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("stored attributes are not a JSON object", e);
        }
    }

    private String containment(String key, Object value) {
        try {
            return json.writeValueAsString(Map.of(key, value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static @Nullable Object typed(String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        if (value.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
            return new BigDecimal(value);
        }
        return null;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** Escapes {@code \}, {@code %} and {@code _} for a LIKE pattern with {@code ESCAPE '\'}. */
    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static SqlArray textArray(List<String> values) {
        return new SqlArray("text", values.toArray(String[]::new));
    }

    /**
     * @param events the page, in the requested order
     * @param next   where the following page starts, {@code null} on the last page
     */
    public record Page(List<StoredEvent> events, @Nullable EventCursor next) {
    }
}
