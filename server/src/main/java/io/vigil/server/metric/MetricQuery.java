package io.vigil.server.metric;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.server.database.ConnectionPool;
import io.vigil.server.database.Sql;
import io.vigil.server.database.SqlArray;
import io.vigil.server.query.InvalidQueryException;
import io.vigil.server.query.TimeWindow;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads metrics: the series matching a selector, their samples aggregated per step, and their
 * trend (least-squares line) over a window with a forecast of when it crosses a threshold.
 *
 * <p>Series are found first ({@code metric_series (name, labels)}, labels by containment on the
 * GIN index), then samples are read by series id and time range, the primary key of each day
 * partition; partitions outside the window are skipped by PostgreSQL's partition pruning.
 */
@Singleton
public class MetricQuery {

    /** Most series one query may read. */
    public static final int MAX_SERIES = 1000;
    /** Most points one series may have in a range query (window / step). */
    public static final int MAX_POINTS = 11_000;

    private static final Argument<Map<String, String>> LABELS = Argument.mapOf(String.class, String.class);

    private final ConnectionPool pool;
    private final JsonMapper json;
    private final int timeoutSeconds;

    MetricQuery(ConnectionPool pool, JsonMapper json, @Value("${vigil.query.timeout:30s}") Duration timeout) {
        this.pool = pool;
        this.json = json;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    /** Series matching {@code selector}, by id, at most {@code limit}. */
    public List<MetricSeries> series(SeriesSelector selector, int limit) {
        Sql sql = new Sql("SELECT id, name, unit, labels::text AS labels FROM metric_series WHERE name = ?",
                selector.name());
        if (!selector.labels().isEmpty()) {
            sql.add(" AND labels @> ?::jsonb", toJson(selector.labels()));
        }
        sql.add(" ORDER BY id LIMIT ?", limit);
        return pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                List<MetricSeries> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new MetricSeries(rs.getLong("id"), rs.getString("name"), rs.getString("unit"),
                            labels(rs.getString("labels"))));
                }
                return out;
            }
        });
    }

    /** Distinct metric names, alphabetically, optionally starting with {@code prefix}. */
    public List<String> names(@Nullable String prefix, int limit) {
        Sql sql = new Sql("SELECT DISTINCT name FROM metric_series");
        if (prefix != null) {
            sql.add(" WHERE name LIKE ? ESCAPE '\\'", prefix.replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        }
        sql.add(" ORDER BY name LIMIT ?", limit);
        return pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    /**
     * The samples of every matching series in {@code window}, combined per {@code step} with
     * {@code aggregation}. Steps are aligned to multiples of the step since 1970-01-01T00:00Z (a 1m
     * step starts on whole minutes), and each point carries its step's start; steps without
     * samples have no point.
     *
     * @throws InvalidQueryException when the window holds more than {@link #MAX_POINTS} steps or
     *                               the selector more than {@link #MAX_SERIES} series
     */
    public List<SeriesPoints> range(SeriesSelector selector, TimeWindow window, Duration step,
                                    Aggregation aggregation) {
        long steps = window.length().toMillis() / step.toMillis();
        if (steps > MAX_POINTS) {
            throw new InvalidQueryException(List.of("the window holds " + steps + " steps of " + step
                    + ", at most " + MAX_POINTS + " are returned: use a larger step or a shorter window"));
        }
        List<MetricSeries> series = selected(selector);
        if (series.isEmpty()) {
            return List.of();
        }
        Sql sql = new Sql("SELECT series_id, date_bin(?::interval, time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS step, "
                + aggregation.sql() + " AS value FROM metric_samples"
                + " WHERE series_id = ANY(?) AND time >= ? AND time < ? GROUP BY 1, 2 ORDER BY 1, 2",
                step.toMillis() + " milliseconds", ids(series), Sql.utc(window.since()), Sql.utc(window.until()));
        Map<Long, List<Point>> points = pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                Map<Long, List<Point>> out = new LinkedHashMap<>();
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                            .add(new Point(rs.getTimestamp(2).toInstant(), rs.getDouble(3)));
                }
                return out;
            }
        });
        return series.stream().map(s -> new SeriesPoints(s, points.getOrDefault(s.id(), List.of()))).toList();
    }

    /**
     * The least-squares line of each matching series over {@code window} (PostgreSQL's
     * {@code regr_slope} and {@code regr_intercept} of value against time), and, given a
     * threshold, when that line reaches it.
     *
     * @param threshold the value whose crossing is forecast, or {@code null}
     * @param ahead     also predict the line's value this long after the window, or {@code null}
     */
    public List<Trend> trend(SeriesSelector selector, TimeWindow window, @Nullable Double threshold,
                             @Nullable Duration ahead) {
        List<MetricSeries> series = selected(selector);
        if (series.isEmpty()) {
            return List.of();
        }
        OffsetDateTime since = Sql.utc(window.since());
        // x is seconds since the window's start: small numbers keep the regression well conditioned
        String x = "extract(epoch FROM (time - ?::timestamptz))";
        Sql sql = new Sql("SELECT series_id, regr_count(value, " + x + ") AS n, regr_slope(value, " + x + ") AS slope, "
                + "regr_intercept(value, " + x + ") AS intercept, regr_r2(value, " + x + ") AS r2, "
                + "min(time) AS first_time, max(time) AS last_time, (array_agg(value ORDER BY time DESC))[1] AS last_value"
                + " FROM metric_samples WHERE series_id = ANY(?) AND time >= ? AND time < ? GROUP BY series_id",
                since, since, since, since, ids(series), since, Sql.utc(window.until()));
        Map<Long, Trend> trends = pool.with(c -> {
            try (PreparedStatement st = sql.prepare(c, timeoutSeconds); ResultSet rs = st.executeQuery()) {
                Map<Long, Trend> out = new LinkedHashMap<>();
                while (rs.next()) {
                    long id = rs.getLong("series_id");
                    MetricSeries s = series.stream().filter(m -> m.id() == id).findFirst().orElseThrow();
                    out.put(id, Trend.of(s, window, rs.getLong("n"), nullable(rs, "slope"), nullable(rs, "intercept"),
                            nullable(rs, "r2"), rs.getTimestamp("first_time").toInstant(),
                            rs.getTimestamp("last_time").toInstant(), rs.getDouble("last_value"), threshold, ahead));
                }
                return out;
            }
        });
        return series.stream().map(s -> trends.getOrDefault(s.id(), Trend.empty(s, threshold))).toList();
    }

    private List<MetricSeries> selected(SeriesSelector selector) {
        List<MetricSeries> series = series(selector, MAX_SERIES + 1);
        if (series.size() > MAX_SERIES) {
            throw new InvalidQueryException(List.of("more than " + MAX_SERIES + " series match " + selector.name()
                    + " " + selector.labels() + ": add label matchers (label.<name>=<value>)"));
        }
        return series;
    }

    private static SqlArray ids(List<MetricSeries> series) {
        return new SqlArray("int8", series.stream().map(MetricSeries::id).toArray(Long[]::new));
    }


    private static @Nullable Double nullable(ResultSet rs, String column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? null : d;
    }

    private Map<String, String> labels(String text) {
        try {
            return json.readValue(text, LABELS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String toJson(Map<String, String> labels) {
        try {
            return json.writeValueAsString(labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
