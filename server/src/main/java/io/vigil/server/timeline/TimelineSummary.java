package io.vigil.server.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.database.Sql;
import io.vigil.server.event.EventFilter;
import io.vigil.server.event.EventQuery;
import io.vigil.server.event.Severity;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The head of a timeline: how many events it holds, from when to when, and how many of each
 * severity. One aggregate over the same conditions as the pages ({@link EventQuery#where}), served
 * by the scope's index.
 */
@Singleton
class TimelineSummary {

    private final ConnectionPool pool;
    private final EventQuery events;
    private final int timeoutSeconds;

    TimelineSummary(ConnectionPool pool, EventQuery events, @Value("${vigil.query.timeout:30s}") Duration timeout) {
        this.pool = pool;
        this.events = events;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    /** The summary of every event {@code filter} selects (its cursor and limit are ignored). */
    Summary of(EventFilter filter) {
        Sql sql = new Sql("SELECT severity, count(*) AS n, min(time) AS first_time, max(time) AS last_time "
                + "FROM events WHERE true");
        events.where(filter, sql);
        sql.add(" GROUP BY severity");
        return pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                Map<String, Long> bySeverity = new LinkedHashMap<>();
                for (Severity s : Severity.values()) {
                    bySeverity.put(s.wireName(), 0L);
                }
                long total = 0;
                Instant first = null;
                Instant last = null;
                while (rs.next()) {
                    long n = rs.getLong("n");
                    total += n;
                    bySeverity.put(Severity.fromCode(rs.getShort("severity")).wireName(), n);
                    Instant f = rs.getTimestamp("first_time").toInstant();
                    Instant l = rs.getTimestamp("last_time").toInstant();
                    first = first == null || f.isBefore(first) ? f : first;
                    last = last == null || l.isAfter(last) ? l : last;
                }
                return new Summary(total, first, last, bySeverity);
            }
        });
    }

    /**
     * @param total      events in the timeline
     * @param firstTime  the oldest event's time, null when there is none
     * @param lastTime   the newest event's time, null when there is none
     * @param bySeverity every severity, in order, with its count
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Summary(long total, @Nullable Instant firstTime, @Nullable Instant lastTime, Map<String, Long> bySeverity) {
    }
}
