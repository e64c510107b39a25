package io.vigil.server.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.annotation.Value;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.database.Sql;
import io.vigil.server.event.Severity;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Events per UTC hour and severity, for the dashboard's overview chart. Every hour of the window is
 * listed, empty ones with zeros, so that a chart's bars line up with the clock without gaps.
 */
@Singleton
public class HourlyEvents {

    private final ConnectionPool pool;
    private final int timeoutSeconds;

    HourlyEvents(ConnectionPool pool, @Value("${vigil.query.timeout:30s}") Duration timeout) {
        this.pool = pool;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    /**
     * The hours from the one holding {@code since} to the one holding {@code until} (at most 169 for
     * a week), oldest first; only events at or after {@code since} and before {@code until} count.
     */
    public Hours count(Instant since, Instant until) {
        Sql sql = new Sql("""
                SELECT date_trunc('hour', time AT TIME ZONE 'UTC') AS hour, severity, count(*) AS n
                  FROM events WHERE time >= ? AND time < ? GROUP BY 1, 2""", Sql.utc(since), Sql.utc(until));
        Map<Instant, long[]> counts = new TreeMap<>();
        for (Instant h = since.truncatedTo(ChronoUnit.HOURS); h.isBefore(until); h = h.plus(Duration.ofHours(1))) {
            counts.put(h, new long[Severity.values().length]);
        }
        pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Instant hour = rs.getObject("hour", java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC);
                    counts.computeIfAbsent(hour, h -> new long[Severity.values().length])[rs.getShort("severity")] +=
                            rs.getLong("n");
                }
                return null;
            }
        });
        List<Hour> hours = new ArrayList<>(counts.size());
        counts.forEach((hour, bySeverity) -> {
            Map<String, Long> named = new LinkedHashMap<>();
            long total = 0;
            for (Severity s : Severity.values()) {
                named.put(s.wireName(), bySeverity[s.code()]);
                total += bySeverity[s.code()];
            }
            hours.add(new Hour(hour, total, named));
        });
        return new Hours(since, until, hours);
    }


    /** @param since window start @param until window end @param hours every hour of the window, oldest first */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Hours(Instant since, Instant until, List<Hour> hours) {
    }

    /**
     * @param hour       the hour's start (UTC)
     * @param total      events in it
     * @param bySeverity every severity, in order, with its count
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Hour(Instant hour, long total, Map<String, Long> bySeverity) {
    }
}
