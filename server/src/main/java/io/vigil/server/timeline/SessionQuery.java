package io.vigil.server.timeline;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.database.Sql;
import io.vigil.server.event.EventCursor;
import io.vigil.server.query.TimeWindow;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.UUID;

/**
 * Agent sessions, read from the events that open and close them: one {@code agent.session_started}
 * per session (found through {@code events_type_time_idx}), its {@code agent.session_ended} and its
 * last event (through {@code events_session_time_idx}), and the next session of the same agent
 * (which tells a session that ended without word from one that is still running).
 *
 * <p>There is no sessions table: two events per agent start are few, the events already hold all
 * there is to know, and a table kept from them would be one more thing for ingest to keep right and
 * for retention to drop in step with the partitions.
 */
@Singleton
class SessionQuery {

    static final String STARTED = "agent.session_started";
    static final String ENDED = "agent.session_ended";
    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);

    private final ConnectionPool pool;
    private final JsonMapper json;
    private final int timeoutSeconds;

    SessionQuery(ConnectionPool pool, JsonMapper json, @Value("${vigil.query.timeout:30s}") Duration timeout) {
        this.pool = pool;
        this.json = json;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    /**
     * Sessions that started within {@code window}, newest first.
     *
     * @param agent  only this agent (the name it reports), or all
     * @param cursor continue after this session start (the {@code next} of the previous page)
     */
    Page find(TimeWindow window, @Nullable String agent, int limit, @Nullable EventCursor cursor) {
        Sql sql = new Sql("""
                SELECT s.id, s.time AS started_at, s.agent_id, s.agent, s.host, s.session_id,
                       s.attributes::text AS started, e.time AS ended_at, e.attributes::text AS ended,
                       l.last_event_at, n.time AS next_started_at, n.session_id AS next_session_id
                  FROM (SELECT id, time, agent_id, agent, host, session_id, attributes
                          FROM events
                         WHERE type = ? AND time >= ? AND time < ?""",
                STARTED, Sql.utc(window.since()), Sql.utc(window.until()));
        if (agent != null) {
            sql.add(" AND agent = ?", agent);
        }
        if (cursor != null) {
            sql.add(" AND time <= ? AND (time, id) < (?, ?)", Sql.utc(cursor.time()), Sql.utc(cursor.time()), cursor.id());
        }
        sql.add("""
                         ORDER BY time DESC, id DESC LIMIT ?) s
                  LEFT JOIN LATERAL (SELECT x.time, x.attributes FROM events x
                                      WHERE x.session_id = s.session_id AND x.type = ? AND x.time >= s.time
                                      ORDER BY x.time LIMIT 1) e ON true
                  LEFT JOIN LATERAL (SELECT max(y.time) AS last_event_at FROM events y
                                      WHERE y.session_id = s.session_id AND y.time >= s.time) l ON true
                  LEFT JOIN LATERAL (SELECT z.time, z.session_id FROM events z
                                      WHERE z.type = ? AND (z.time, z.id) > (s.time, s.id) AND z.time >= s.time
                                        AND z.agent_id IS NOT DISTINCT FROM s.agent_id
                                        AND z.agent IS NOT DISTINCT FROM s.agent
                                      ORDER BY z.time, z.id LIMIT 1) n ON true
                 ORDER BY s.time DESC, s.id DESC""", limit + 1, ENDED, STARTED);
        List<Session> rows = pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                List<Session> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        });
        boolean more = rows.size() > limit;
        List<Session> page = more ? rows.subList(0, limit) : rows;
        EventCursor next = null;
        if (more) {
            Session last = page.get(page.size() - 1);
            next = new EventCursor(last.startedAt(), last.startEventId());
        }
        return new Page(List.copyOf(page), next);
    }

    private Session read(ResultSet rs) throws SQLException {
        Map<String, Object> started = object(rs.getString("started"));
        String ended = rs.getString("ended");
        return new Session(rs.getObject("id", UUID.class), rs.getString("session_id"), rs.getObject("agent_id", Long.class),
                rs.getString("agent"), rs.getString("host"), instant(rs.getTimestamp("started_at")), started,
                instant(rs.getTimestamp("ended_at")), ended == null ? null : object(ended),
                instant(rs.getTimestamp("last_event_at")), instant(rs.getTimestamp("next_started_at")),
                rs.getString("next_session_id"));
    }

    private Map<String, Object> object(String text) {
        try {
            return json.readValue(text, JSON_OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("stored attributes are not a JSON object", e);
        }
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }


    /**
     * One session as its events tell it.
     *
     * @param startEventId    the id of its {@code agent.session_started} event (the page cursor's tie-breaker)
     * @param sessionId       the session id
     * @param agentId         the agent whose token shipped the start
     * @param agent           the agent's name as it reported it
     * @param host            its host
     * @param startedAt       the start event's time
     * @param started         the start event's attributes (version, pid, plugins, monitors, previous session)
     * @param endedAt         the end event's time, null without one
     * @param ended           the end event's attributes (uptime and counts), null without one
     * @param lastEventAt     the time of the session's newest stored event
     * @param nextStartedAt   when the same agent started its next session, null if it has not
     * @param nextSessionId   that next session's id
     */
    record Session(UUID startEventId, String sessionId, @Nullable Long agentId, @Nullable String agent,
                   @Nullable String host, Instant startedAt, Map<String, Object> started, @Nullable Instant endedAt,
                   @Nullable Map<String, Object> ended, @Nullable Instant lastEventAt, @Nullable Instant nextStartedAt,
                   @Nullable String nextSessionId) {
    }

    /** @param sessions newest first @param next where the following page starts, null on the last */
    record Page(List<Session> sessions, @Nullable EventCursor next) {
    }
}
