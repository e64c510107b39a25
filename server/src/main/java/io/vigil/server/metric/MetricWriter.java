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
 * Stores metric samples: one statement resolves (creating where needed) every series of the
 * batch, one statement inserts every sample.
 *
 * <p>Plain JDBC for the same reason as the event writer: whole-batch {@code unnest} statements with
 * {@code ON CONFLICT DO NOTHING}, which Micronaut Data's row-by-row {@code saveAll} cannot express.
 */
@Singleton
public class MetricWriter {

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
            SELECT w.ord, c.id FROM wanted w JOIN created c ON c.name = w.name AND c.labels = w.labels
            UNION ALL
            SELECT w.ord, s.id FROM wanted w JOIN metric_series s ON s.name = w.name AND s.labels = w.labels""";

    /*
     * Fallback for a race: a series committed by a concurrent transaction after this statement's
     * snapshot is skipped by ON CONFLICT yet invisible to the join. Reading it again sees it.
     */
    private static final String FIND_SERIES = """
            SELECT w.ord, s.id
              FROM unnest(?::text[], ?::jsonb[]) WITH ORDINALITY AS w(name, labels, ord)
              JOIN metric_series s ON s.name = w.name AND s.labels = w.labels""";

    private static final String INSERT_SAMPLES = """
            INSERT INTO metric_samples (series_id, time, value)
            SELECT * FROM unnest(?::bigint[], ?::timestamptz[], ?::float8[])
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
        Map<SeriesKey, Long> seriesIds = resolveSeries(connection, samples);
        // Inserted in (series, time) order, the same in every transaction, so that concurrent
        // batches with overlapping samples wait for each other rather than deadlock.
        record Row(long seriesId, NewSample sample) {
        }
        List<Row> rows = samples.stream().map(s -> new Row(seriesIds.get(SeriesKey.of(s)), s))
                .sorted(Comparator.comparingLong(Row::seriesId).thenComparing(r -> r.sample().time()))
                .toList();
        int n = rows.size();
        Long[] ids = new Long[n];
        String[] times = new String[n];
        Double[] values = new Double[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.seriesId();
            times[i] = row.sample().time().toString();
            values[i] = row.sample().value();
        }
        try (PreparedStatement st = connection.prepareStatement(INSERT_SAMPLES)) {
            SqlArrays arrays = new SqlArrays(connection);
            st.setArray(1, arrays.bigint(ids));
            st.setArray(2, arrays.text(times));
            st.setArray(3, arrays.float8(values));
            return st.executeUpdate();
        }
    }

    private Map<SeriesKey, Long> resolveSeries(Connection connection, List<NewSample> samples) throws SQLException {
        Map<SeriesKey, NewSample> distinct = new LinkedHashMap<>();
        for (NewSample s : samples) {
            distinct.putIfAbsent(SeriesKey.of(s), s);
        }
        List<NewSample> wanted = new ArrayList<>(distinct.values());
        Long[] ids = new Long[wanted.size()];
        SqlArrays arrays = new SqlArrays(connection);
        try (PreparedStatement st = connection.prepareStatement(RESOLVE_SERIES)) {
            st.setArray(1, arrays.text(wanted.stream().map(NewSample::name).toArray(String[]::new)));
            st.setArray(2, arrays.text(wanted.stream().map(NewSample::unit).toArray(String[]::new)));
            st.setArray(3, arrays.text(wanted.stream().map(NewSample::labelsJson).toArray(String[]::new)));
            read(st, ids, null);
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
                read(st, ids, missing);
            }
        }
        Map<SeriesKey, Long> result = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == null) {
                throw new IllegalStateException("metric series " + wanted.get(i).name() + " "
                        + wanted.get(i).labelsJson() + " was neither created nor found");
            }
            result.put(SeriesKey.of(wanted.get(i)), ids[i]);
        }
        return result;
    }

    /** Reads (1-based ordinal, id) rows into {@code ids}, through {@code positions} when given. */
    private static void read(PreparedStatement st, Long[] ids, List<Integer> positions) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                int ord = (int) rs.getLong(1) - 1;
                ids[positions == null ? ord : positions.get(ord)] = rs.getLong(2);
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
