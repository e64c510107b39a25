package io.vigil.server.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.annotation.Value;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of events by severity, plugin and type, in total and per UTC day, over the events a
 * filter selects: the event store's statistics. One scan, one hash aggregation.
 */
@Singleton
public class EventStatistics {

    private final ConnectionPool pool;
    private final EventQuery events;
    private final int timeoutSeconds;

    EventStatistics(ConnectionPool pool, EventQuery events, @Value("${vigil.query.timeout:30s}") Duration timeout) {
        this.pool = pool;
        this.events = events;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    /**
     * @param filter which events (its time bounds must be set)
     * @param top    how many types to list in {@link Counts#topTypes()}
     */
    public Counts count(EventFilter filter, int top) {
        // One pass: counts per (day, severity, plugin, type), rolled up here. The combinations are
        // few (days x types, each type belonging to one plugin), far fewer than the rows, and one
        // hash aggregation beats GROUPING SETS, which sorts the rows once per set.
        Sql sql = new Sql("""
                SELECT (time AT TIME ZONE 'UTC')::date AS day, severity, coalesce(plugin, '') AS plugin, type,
                       count(*) AS n
                  FROM events WHERE true""");
        events.where(filter, sql);
        sql.add(" GROUP BY 1, 2, 3, 4");
        return pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                Builder all = new Builder();
                Map<LocalDate, Builder> days = new TreeMap<>();
                while (rs.next()) {
                    long n = rs.getLong("n");
                    String severity = Severity.fromCode(rs.getShort("severity")).wireName();
                    String plugin = rs.getString("plugin");
                    String type = rs.getString("type");
                    all.add(severity, plugin, type, n);
                    days.computeIfAbsent(rs.getObject("day", LocalDate.class), d -> new Builder())
                            .add(severity, plugin, type, n);
                }
                List<Day> perDay = new ArrayList<>();
                days.forEach((day, b) -> perDay.add(new Day(day, b.total, b.severities(), sorted(b.byPlugin),
                        sorted(b.byType))));
                List<TypeCount> topTypes = all.byType.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .limit(top).map(e -> new TypeCount(e.getKey(), e.getValue())).toList();
                return new Counts(filter.since(), filter.until(), all.total, all.severities(), sorted(all.byPlugin),
                        topTypes, perDay);
            }
        });
    }

    private static Map<String, Long> sorted(Map<String, Long> counts) {
        return new TreeMap<>(counts);
    }

    private static final class Builder {
        long total;
        final Map<String, Long> bySeverity = new LinkedHashMap<>();
        final Map<String, Long> byPlugin = new LinkedHashMap<>();
        final Map<String, Long> byType = new LinkedHashMap<>();

        void add(String severity, String plugin, String type, long n) {
            total += n;
            bySeverity.merge(severity, n, Long::sum);
            byPlugin.merge(plugin, n, Long::sum);
            byType.merge(type, n, Long::sum);
        }

        /** Every severity, in order, zeros included. */
        Map<String, Long> severities() {
            Map<String, Long> out = new LinkedHashMap<>();
            for (Severity s : Severity.values()) {
                out.put(s.wireName(), bySeverity.getOrDefault(s.wireName(), 0L));
            }
            return out;
        }
    }

    /**
     * Event counts over a window.
     *
     * @param since      window start
     * @param until      window end
     * @param total      events in the window
     * @param bySeverity every severity, in order, with its count
     * @param byPlugin   plugin id ({@code ""} for none) to count
     * @param topTypes   the most frequent types, most first
     * @param days       per UTC day that has events, oldest first
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Counts(Instant since, Instant until, long total, Map<String, Long> bySeverity,
                         Map<String, Long> byPlugin, List<TypeCount> topTypes, List<Day> days) {
    }

    /**
     * @param day        the UTC day
     * @param total      events that day
     * @param bySeverity every severity with its count
     * @param byPlugin   plugin id to count
     * @param byType     event type to count
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Day(LocalDate day, long total, Map<String, Long> bySeverity, Map<String, Long> byPlugin,
                      Map<String, Long> byType) {
    }

    /** @param type an event type @param count its events */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TypeCount(String type, long count) {
    }
}
