package io.vigil.server.metric;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the samples of one step are combined into one point. Each maps to a fixed SQL expression. */
public enum Aggregation {
    AVG("avg(value)"),
    MIN("min(value)"),
    MAX("max(value)"),
    SUM("sum(value)"),
    COUNT("count(*)::float8"),
    /** The sample with the latest time in the step. */
    LAST("(array_agg(value ORDER BY time DESC))[1]"),
    /** The 95th percentile, interpolated between samples (percentile_cont). */
    P95("percentile_cont(0.95) WITHIN GROUP (ORDER BY value)");

    /** "avg, min, max, sum, count, last, p95", for error messages. */
    public static final String NAMES = Arrays.stream(values()).map(Aggregation::wireName)
            .collect(Collectors.joining(", "));

    private final String sql;

    Aggregation(String sql) {
        this.sql = sql;
    }

    /** The SQL aggregate over the rows of one step. */
    String sql() {
        return sql;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Aggregation> fromWireName(String name) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(name)).findFirst();
    }
}
