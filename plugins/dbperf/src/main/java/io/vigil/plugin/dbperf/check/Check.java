package io.vigil.plugin.dbperf.check;

import io.vigil.api.OptionType;
import io.vigil.api.Severity;
import java.time.Duration;

/**
 * A threshold the monitor watches. Each raises {@code dbperf.<name>.exceeded} once when its value
 * crosses the limit and {@code dbperf.<name>.recovered} once when it is back, with the same
 * fingerprint.
 */
public enum Check {
    /** Connections in use as a share of the maximum (server, and databases with their own limit); at or above. */
    CONNECTIONS("connections", "connections_used_pct", OptionType.DECIMAL, Severity.HIGH, "percent",
            "connections in use", true, true),
    /** Age of the oldest open transaction, per database. */
    TRANSACTION_AGE("transaction_age", "transaction_age_max", OptionType.DURATION, Severity.MEDIUM, "seconds",
            "oldest open transaction", false, true),
    /** Deadlocks in one interval (per database on PostgreSQL, per server on MariaDB). */
    DEADLOCKS("deadlocks", "deadlocks_max", OptionType.INTEGER, Severity.MEDIUM, "",
            "deadlocks in the last interval", false, true),
    /** 95th percentile of the probe query's round trip over the latency window, per server. */
    PROBE_LATENCY("probe_latency", "probe_latency_p95_max", OptionType.DURATION, Severity.MEDIUM, "seconds",
            "probe latency p95", false, false),
    /** Size growth within the growth window, per database. */
    SIZE_GROWTH("size_growth", "size_growth_pct_max", OptionType.DECIMAL, Severity.MEDIUM, "percent",
            "size growth", false, true);

    private final String id;
    private final String option;
    private final OptionType type;
    private final Severity severity;
    private final String unit;
    private final String label;
    private final boolean inclusive;
    private final boolean perDatabase;

    Check(String id, String option, OptionType type, Severity severity, String unit, String label, boolean inclusive,
          boolean perDatabase) {
        this.id = id;
        this.option = option;
        this.type = type;
        this.severity = severity;
        this.unit = unit;
        this.label = label;
        this.inclusive = inclusive;
        this.perDatabase = perDatabase;
    }

    /** The name in the {@code checks} option and in event types ({@code transaction_age}). */
    public String id() {
        return id;
    }

    /** The option holding its limit ({@code transaction_age_max}). */
    public String option() {
        return option;
    }

    /** The type of that option. */
    public OptionType type() {
        return type;
    }

    /** The severity of its {@code exceeded} event. */
    public Severity severity() {
        return severity;
    }

    /** The unit of its value and limit. */
    public String unit() {
        return unit;
    }

    /** What it measures, for event titles. */
    public String label() {
        return label;
    }

    /** Whether {@code overrides} may set it per database. */
    public boolean perDatabase() {
        return perDatabase;
    }

    /** The event type raised on crossing. */
    public String exceededType() {
        return "dbperf." + id + ".exceeded";
    }

    /** The event type raised on recovery. */
    public String recoveredType() {
        return "dbperf." + id + ".recovered";
    }

    /** Whether {@code value} is past {@code limit}: at or above for connections, above for the rest. */
    public boolean exceeded(double value, double limit) {
        return inclusive ? value >= limit : value > limit;
    }

    /** A typed option value (as {@link OptionType#parse} gives it) as a limit in this check's unit. */
    public double limitOf(Object typed) {
        if (typed instanceof Duration d) {
            return d.toNanos() / 1e9;
        }
        return ((Number) typed).doubleValue();
    }

    /** A value in this check's unit as people read it: {@code 82.5%}, {@code 12m 5s}, {@code 250 ms}, {@code 3}. */
    public String format(double value) {
        return switch (unit) {
            case "percent" -> String.format(java.util.Locale.ROOT, "%.1f%%", value);
            case "seconds" -> seconds(value);
            default -> String.format(java.util.Locale.ROOT, "%.0f", value);
        };
    }

    static String seconds(double s) {
        if (s < 1) {
            return String.format(java.util.Locale.ROOT, "%.0f ms", s * 1000);
        }
        long whole = Math.round(s);
        if (whole < 60) {
            return whole + " s";
        }
        long h = whole / 3600;
        long m = whole % 3600 / 60;
        long sec = whole % 60;
        return h > 0 ? h + "h " + m + "m" : m + "m " + sec + "s";
    }

    /** The check named {@code id} in the {@code checks} option. */
    public static Check byId(String id) {
        for (Check c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown check \"" + id + "\"");
    }
}
