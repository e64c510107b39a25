package io.vigil.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One measurement of a time series: {@code oracle.deviation_pct{asset=BTC} = 1.3 at t}.
 *
 * <p>A series is identified by its name and labels. The agent adds a {@code host} label when the
 * plugin did not set one. Samples of the same series at the same time are one sample: the server
 * keeps the first, so a redelivered batch does not double-count.
 *
 * @param name   dotted lower-case name, e.g. {@code docker.containers.running}
 * @param value  the measured value; finite
 * @param unit   unit of the value ({@code "percent"}, {@code "bytes"}, {@code "seconds"}), or empty
 * @param labels label names to values, sorted by name
 * @param time   when it was measured
 */
public record MetricSample(String name, double value, String unit, Map<String, String> labels,
                           Instant time) {

    /** Metric names are dotted lower-case words, like event types. */
    public static final Pattern NAME_PATTERN = Event.TYPE_PATTERN;
    /** Label names are lower-case identifiers. */
    public static final Pattern LABEL_PATTERN = Pattern.compile("[a-z_][a-z0-9_]*");

    /** Validates and freezes the fields. */
    public MetricSample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(time, "time");
        if (name.length() > Event.MAX_TYPE_LENGTH || !NAME_PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name \"" + name
                    + "\" must be dotted lower-case words such as oracle.deviation_pct");
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("metric " + name + " has value " + value
                    + "; only finite values are stored");
        }
        unit = unit == null ? "" : unit;
        TreeMap<String, String> sorted = new TreeMap<>();
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (k == null || !LABEL_PATTERN.matcher(k).matches()) {
                    throw new IllegalArgumentException("metric " + name + " has label name \"" + k
                            + "\"; label names are lower-case identifiers");
                }
                sorted.put(k, Objects.requireNonNull(v, () -> "metric " + name + " label " + k + " is null"));
            });
        }
        labels = java.util.Collections.unmodifiableSortedMap(sorted);
    }

    /** A sample measured now, without labels. */
    public static MetricSample of(String name, double value, String unit) {
        return new MetricSample(name, value, unit, Map.of(), Instant.now());
    }

    /** A copy with one more label (replacing a label of the same name). */
    public MetricSample withLabel(String label, String labelValue) {
        TreeMap<String, String> more = new TreeMap<>(labels);
        more.put(label, labelValue);
        return new MetricSample(name, value, unit, more, time);
    }

    /** A copy measured at another time. */
    public MetricSample at(Instant when) {
        return new MetricSample(name, value, unit, labels, when);
    }
}
