package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The recent samples of one series (a metric name and one label set), kept in memory for metric
 * rules. One value per instant, as in {@code metric_samples}.
 */
final class SeriesWindow {

    /** More samples than this per series are not kept (oldest dropped). */
    static final int MAX_SAMPLES = 10_000;

    private final String metric;
    private final Map<String, String> labels;
    private final String key;
    private final TreeMap<Instant, Double> samples = new TreeMap<>();

    SeriesWindow(String metric, Map<String, String> labels) {
        this.metric = metric;
        this.labels = Map.copyOf(labels);
        this.key = metric + labelText(labels);
    }

    /** {@code {asset="BTC",venue="x"}}, labels sorted; empty text for no labels. */
    static String labelText(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("{");
        new TreeMap<>(labels).forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        });
        return b.append('}').toString();
    }

    String metric() {
        return metric;
    }

    Map<String, String> labels() {
        return labels;
    }

    /** The series as text, {@code oracle.deviation_pct{asset="BTC"}}: the fingerprint of its alerts. */
    String key() {
        return key;
    }

    void add(Instant time, double value) {
        samples.putIfAbsent(time, value);
        if (samples.size() > MAX_SAMPLES) {
            samples.pollFirstEntry();
        }
    }

    /** Drops samples at or before {@code before}. */
    void prune(Instant before) {
        samples.headMap(before, true).clear();
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    /** The aggregate of the samples after {@code from}, {@code null} when there are none. */
    @Nullable Double aggregate(MetricRule.Aggregate aggregate, Instant from) {
        NavigableMap<Instant, Double> window = samples.tailMap(from, false);
        if (window.isEmpty()) {
            return null;
        }
        return switch (aggregate) {
            case LAST -> window.lastEntry().getValue();
            case MAX -> window.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            case MIN -> window.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            case AVG -> window.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        };
    }
}
