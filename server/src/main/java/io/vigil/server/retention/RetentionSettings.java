package io.vigil.server.retention;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * How long stored data is kept ({@code vigil.retention.*}). A day partition is dropped once all of
 * it is older than its table's retention, so data lives between the retention and the retention
 * plus one day (and one {@code vigil.partitions.check-interval}).
 */
@ConfigurationProperties("vigil.retention")
public class RetentionSettings {

    /** {@code vigil.retention.events}: 90 days. */
    private Duration events = Duration.ofDays(90);
    /** {@code vigil.retention.metric-samples}: 30 days. */
    private Duration metricSamples = Duration.ofDays(30);

    public Duration getEvents() {
        return events;
    }

    public void setEvents(Duration events) {
        this.events = positive("vigil.retention.events", events);
    }

    public Duration getMetricSamples() {
        return metricSamples;
    }

    public void setMetricSamples(Duration metricSamples) {
        this.metricSamples = positive("vigil.retention.metric-samples", metricSamples);
    }

    static Duration positive(String key, Duration d) {
        if (d.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException(key + " must be at least 1d (data is kept in day partitions), got " + d);
        }
        return d;
    }
}
