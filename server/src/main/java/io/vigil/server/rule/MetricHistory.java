package io.vigil.server.rule;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads stored samples for metric and absence rules: the recent window of a metric (to seed and
 * refresh the in-memory windows, so that every replica sees samples any replica stored) and the
 * last sample time of each series.
 */
@Singleton
class MetricHistory {

    record Sample(Map<String, String> labels, Instant time, double value) {
    }

    record LastSample(Map<String, String> labels, Instant time) {
    }

    private static final Argument<Map<String, String>> LABELS = Argument.mapOf(String.class, String.class);

    private final TransactionOperations<Connection> transactions;
    private final JsonMapper json;

    MetricHistory(TransactionOperations<Connection> transactions, JsonMapper json) {
        this.transactions = transactions;
        this.json = json;
    }

    /** The samples of {@code metric} after {@code since}, at most {@code limit}, newest first. */
    List<Sample> since(String metric, Instant since, int limit) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement("""
                    SELECT s.labels::text, m.time, m.value
                      FROM metric_series s JOIN metric_samples m ON m.series_id = s.id
                     WHERE s.name = ? AND m.time > ?
                     ORDER BY m.time DESC LIMIT ?""")) {
                st.setString(1, metric);
                st.setTimestamp(2, Timestamp.from(since));
                st.setInt(3, limit);
                List<Sample> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Sample(labels(rs.getString(1)), rs.getTimestamp(2).toInstant(), rs.getDouble(3)));
                    }
                }
                return out;
            }
        }));
    }

    /** Every series of {@code metric} with the time of its latest sample (series without any are left out). */
    List<LastSample> lastSamples(String metric) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement("""
                    SELECT s.labels::text, last.time
                      FROM metric_series s
                      CROSS JOIN LATERAL (SELECT m.time FROM metric_samples m WHERE m.series_id = s.id
                                           ORDER BY m.time DESC LIMIT 1) last
                     WHERE s.name = ?""")) {
                st.setString(1, metric);
                List<LastSample> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LastSample(labels(rs.getString(1)), rs.getTimestamp(2).toInstant()));
                    }
                }
                return out;
            }
        }));
    }

    Map<String, String> labels(String text) {
        try {
            return new TreeMap<>(json.readValue(text, LABELS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
