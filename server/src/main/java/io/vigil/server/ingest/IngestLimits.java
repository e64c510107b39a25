package io.vigil.server.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * Limits on one ingest batch ({@code vigil.ingest.*}). A batch over any limit is refused whole with
 * 413 and nothing stored; the agent splits it and sends the halves.
 */
@ConfigurationProperties("vigil.ingest")
public class IngestLimits {

    /** Largest accepted body after gzip decompression: 8 MiB. */
    private long maxBatchBytes = 8L * 1024 * 1024;
    /** Most events in one batch. */
    private int maxEvents = 10_000;
    /** Most metric samples in one batch. */
    private int maxMetrics = 50_000;
    /** How far ahead of the server clock an item's time may be; later ones are refused (400). */
    private Duration maxFuture = Duration.ofDays(1);
    /**
     * Most ingest requests stored at once; more are answered 429 + Retry-After. 0 (the default)
     * means the database pool size ({@code datasources.default.maximum-pool-size}).
     */
    private int maxInFlight = 0;
    /** How long a request may wait for one of the {@link #maxInFlight} slots before the 429. */
    private Duration queueTimeout = Duration.ofMillis(100);
    /** {@code Retry-After} of the 429. */
    private Duration busyRetryAfter = Duration.ofSeconds(1);

    public long getMaxBatchBytes() {
        return maxBatchBytes;
    }

    public void setMaxBatchBytes(long maxBatchBytes) {
        if (maxBatchBytes < 1) {
            throw new IllegalArgumentException("vigil.ingest.max-batch-bytes must be positive, got " + maxBatchBytes);
        }
        this.maxBatchBytes = maxBatchBytes;
    }

    public int getMaxEvents() {
        return maxEvents;
    }

    public void setMaxEvents(int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("vigil.ingest.max-events must be positive, got " + maxEvents);
        }
        this.maxEvents = maxEvents;
    }

    public int getMaxMetrics() {
        return maxMetrics;
    }

    public void setMaxMetrics(int maxMetrics) {
        if (maxMetrics < 1) {
            throw new IllegalArgumentException("vigil.ingest.max-metrics must be positive, got " + maxMetrics);
        }
        this.maxMetrics = maxMetrics;
    }

    public Duration getMaxFuture() {
        return maxFuture;
    }

    public void setMaxFuture(Duration maxFuture) {
        if (maxFuture.isNegative()) {
            throw new IllegalArgumentException("vigil.ingest.max-future must not be negative, got " + maxFuture);
        }
        this.maxFuture = maxFuture;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("vigil.ingest.max-in-flight must be 0 (the pool size) or more, got "
                    + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    public Duration getQueueTimeout() {
        return queueTimeout;
    }

    public void setQueueTimeout(Duration queueTimeout) {
        if (queueTimeout.isNegative()) {
            throw new IllegalArgumentException("vigil.ingest.queue-timeout must not be negative, got " + queueTimeout);
        }
        this.queueTimeout = queueTimeout;
    }

    public Duration getBusyRetryAfter() {
        return busyRetryAfter;
    }

    public void setBusyRetryAfter(Duration busyRetryAfter) {
        if (busyRetryAfter.isNegative() || busyRetryAfter.isZero()) {
            throw new IllegalArgumentException("vigil.ingest.busy-retry-after must be positive, got " + busyRetryAfter);
        }
        this.busyRetryAfter = busyRetryAfter;
    }
}
