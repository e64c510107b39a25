package io.vigil.server.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;

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
}
