package io.vigil.server.metric;

import io.vigil.server.database.SqlArrays;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores metric samples: series ids come from an in-memory cache, the series not in it are
 * resolved (and created where needed) by one statement, and one statement inserts every sample.
 *
 * <p>The cache holds only series read as committed rows, never ones this transaction created: a
 * batch that rolls back must not leave behind an id that does not exist (samples no longer have a
 * foreign key to check it). A series created by a batch is cached the next time it is seen. Series
 * are never deleted, so a cached id stays right; the cache is bounded by
 * {@value #CACHE_LIMIT} entries and simply emptied when full.
 *
 * <p>Plain JDBC for the same reason as the event writer: whole-batch {@code unnest} statements with
 * {@code ON CONFLICT DO NOTHING}, which Micronaut Data's row-by-row {@code saveAll} cannot express.
 */
@Singleton
public class MetricWriter {

    /** Most series ids kept in memory. */
    static final int CACHE_LIMIT = 200_000;

    private final java.util.concurrent.ConcurrentHashMap<SeriesKey, Long> cache =
            new java.util.concurrent.ConcurrentHashMap<>();

    /*
     * Answers (position in the arrays, series id) for every wanted series. New series come back from
     * the INSERT's RETURNING; existing ones from the join with the table, which reads the statement's
     * snapshot and so never sees the rows this statement inserts: each series is answered once.
     * Labels are compared as jsonb, so their key order does not matter.
     */
    private static final String RESOLVE_SERIES = """
            WITH wanted AS (
                SELECT w.name, w.unit, w.labels, w.ord
                  FROM unnest(?::text[], ?::text[], ?::jsonb[]) WITH ORDINALITY AS w(name, unit, labels, ord)
            ), created AS (
                INSERT INTO metric_series (name, unit, labels)
                SELECT DISTINCT ON (name, labels) name, unit, labels FROM wanted ORDER BY name, labels, ord
                ON CONFLICT (name, labels) DO NOTHING
                RETURNING id, name, labels
            )
            SELECT w.ord, c.id, false AS committed FROM wanted w JOIN created c ON c.name = w.name AND c.labels = w.labels
            UNION ALL
            SELECT w.ord, s.id, true FROM wanted w JOIN metric_series s ON s.name = w.name AND s.labels = w.labels""";

    /*
     * Fallback for a race: a series committed by a concurrent transaction after this statement's
     * snapshot is skipped by ON CONFLICT yet invisible to the join. Reading it again sees it.
     */
    private static final String FIND_SERIES = """
            SELECT w.ord, s.id, true
              FROM unnest(?::text[], ?::jsonb[]) WITH ORDINALITY AS w(name, labels, ord)
              JOIN metric_series s ON s.name = w.name AND s.labels = w.labels""";

    private static final String INSERT_SAMPLES = """
            INSERT INTO metric_samples (series_id, time, value)
            SELECT u.series_id, TIMESTAMPTZ 'epoch' + u.micros * INTERVAL '1 microsecond', u.value
              FROM unnest(?::bigint[], ?::int8[], ?::float8[]) AS u(series_id, micros, value)
            ON CONFLICT (series_id, time) DO NOTHING""";

    /**
     * Inserts {@code samples} on {@code connection} (the caller owns the transaction).
     *
     * @return how many samples were new; the others were stored before (or repeated in the batch)
     */
    public int insert(Connection connection, List<NewSample> samples) throws SQLException {
        if (samples.isEmpty()) {
            return 0;
        }
        Map<SeriesKey, Long> seriesIds = new java.util.HashMap<>();
        List<NewSample> unknown = new ArrayList<>();
        for (NewSample s : samples) {
            SeriesKey key = SeriesKey.of(s);
            if (!seriesIds.containsKey(key)) {
                Long id = cache.get(key);
                if (id != null) {
                    seriesIds.put(key, id);
                } else {
                    seriesIds.put(key, null);
                    unknown.add(s);
                }
            }
        }
        if (!unknown.isEmpty()) {
            seriesIds.putAll(resolveSeries(connection, unknown));
        }
        // Inserted in (series, time) order, the same in every transaction, so that concurrent
        // batches with overlapping samples wait for each other rather than deadlock.
        record Row(long seriesId, NewSample sample) {
        }
        List<Row> rows = samples.stream().map(s -> new Row(seriesIds.get(SeriesKey.of(s)), s))
                .sorted(Comparator.comparingLong(Row::seriesId).thenComparing(r -> r.sample().time()))
                .toList();
        int n = rows.size();
        Long[] ids = new Long[n];
        Long[] times = new Long[n];
        Double[] values = new Double[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.seriesId();
            times[i] = SqlArrays.epochMicros(row.sample().time());
            values[i] = row.sample().value();
        }
        try (PreparedStatement st = connection.prepareStatement(INSERT_SAMPLES)) {
            SqlArrays arrays = new SqlArrays(connection);
            st.setArray(1, arrays.bigint(ids));
            st.setArray(2, arrays.bigint(times));
            st.setArray(3, arrays.float8(values));
            return st.executeUpdate();
        }
    }

    /** Forgets every cached series id (tests that empty the tables call it). */
    public void forgetSeries() {
        cache.clear();
    }

    private void remember(SeriesKey key, long id) {
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(key, id);
    }

    private Map<SeriesKey, Long> resolveSeries(Connection connection, List<NewSample> samples) throws SQLException {
        Map<SeriesKey, NewSample> distinct = new LinkedHashMap<>();
        for (NewSample s : samples) {
            distinct.putIfAbsent(SeriesKey.of(s), s);
        }
        List<NewSample> wanted = new ArrayList<>(distinct.values());
        Long[] ids = new Long[wanted.size()];
        boolean[] committed = new boolean[wanted.size()];
        SqlArrays arrays = new SqlArrays(connection);
        try (PreparedStatement st = connection.prepareStatement(RESOLVE_SERIES)) {
            st.setArray(1, arrays.text(wanted.stream().map(NewSample::name).toArray(String[]::new)));
            st.setArray(2, arrays.text(wanted.stream().map(NewSample::unit).toArray(String[]::new)));
            st.setArray(3, arrays.text(wanted.stream().map(NewSample::labelsJson).toArray(String[]::new)));
            read(st, ids, committed, null);
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            try (PreparedStatement st = connection.prepareStatement(FIND_SERIES)) {
                st.setArray(1, arrays.text(missing.stream().map(i -> wanted.get(i).name()).toArray(String[]::new)));
                st.setArray(2, arrays.text(missing.stream().map(i -> wanted.get(i).labelsJson()).toArray(String[]::new)));
                read(st, ids, committed, missing);
            }
        }
        Map<SeriesKey, Long> result = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == null) {
                throw new IllegalStateException("metric series " + wanted.get(i).name() + " "
                        + wanted.get(i).labelsJson() + " was neither created nor found");
            }
            result.put(SeriesKey.of(wanted.get(i)), ids[i]);
            if (committed[i]) {
                remember(SeriesKey.of(wanted.get(i)), ids[i]);
            }
        }
        return result;
    }

    /** Reads (1-based ordinal, id, committed) rows into {@code ids}, through {@code positions} when given. */
    private static void read(PreparedStatement st, Long[] ids, boolean[] committed, List<Integer> positions)
            throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                int ord = (int) rs.getLong(1) - 1;
                int at = positions == null ? ord : positions.get(ord);
                ids[at] = rs.getLong(2);
                committed[at] = rs.getBoolean(3);
            }
        }
    }

    /** A series as sent; labels JSON is written with sorted keys, so equal label sets are equal text. */
    private record SeriesKey(String name, String labelsJson) {
        static SeriesKey of(NewSample s) {
            return new SeriesKey(s.name(), s.labelsJson());
        }
    }
}
