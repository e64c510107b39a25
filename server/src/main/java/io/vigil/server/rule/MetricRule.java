package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.alert.LabelMatcher;
import io.vigil.server.event.Severity;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Aggregates each series of a metric over a sliding window and compares the result with a
 * threshold. The alert fires once the comparison has held for {@code for}, one alert per series
 * (label set), and resolves when the aggregate no longer passes the resolve threshold (hysteresis:
 * {@code >= 1.0} firing with {@code resolve_threshold 0.8} stays firing until it drops below 0.8).
 *
 * @param metric           the metric name
 * @param match            conditions on the series' labels
 * @param resolveThreshold the threshold the aggregate must cross back over to resolve; {@code null}
 *                         is the firing threshold itself
 * @param forDuration      how long the condition must hold before firing (0: at once)
 */
public record MetricRule(String id, String description, Map<String, String> labels, RuleSource source,
                         String metric, List<LabelMatcher> match, Aggregate aggregate, Duration window,
                         Comparison op, double threshold, @Nullable Double resolveThreshold,
                         Duration forDuration, Severity severity, Template title, Template message)
        implements Rule {

    @Override
    public String kind() {
        return "metric";
    }

    /** Whether an alert of this rule with aggregate {@code value} stays firing. */
    public boolean staysFiring(double value) {
        return op.test(value, resolveThreshold == null ? threshold : resolveThreshold);
    }

    /** How a window of samples becomes one number. */
    public enum Aggregate {
        AVG, MAX, MIN, LAST;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The comparison with the threshold. */
    public enum Comparison {
        GT(">"), GTE(">="), LT("<"), LTE("<=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean test(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GTE -> value >= threshold;
                case LT -> value < threshold;
                case LTE -> value <= threshold;
            };
        }

        /** Whether larger values are the alarming side. */
        public boolean upward() {
            return this == GT || this == GTE;
        }

        public static java.util.Optional<Comparison> of(String symbol) {
            for (Comparison c : values()) {
                if (c.symbol.equals(symbol)) {
                    return java.util.Optional.of(c);
                }
            }
            return java.util.Optional.empty();
        }
    }
}
