package io.vigil.agent.ship;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters of the shipper, read by {@code status} and the heartbeat. */
public final class ShipStats {
    final AtomicLong shippedEvents = new AtomicLong();
    final AtomicLong duplicateEvents = new AtomicLong();
    final AtomicLong shippedMetrics = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicReference<String> lastError = new AtomicReference<>("");
    final AtomicLong latencyNanosSum = new AtomicLong();
    final AtomicLong lastShippedAtMillis = new AtomicLong();
    final AtomicLong lastLatencyNanos = new AtomicLong(-1);

    /** Total time spent in successful requests, in seconds (with {@link #batches()}, a mean). */
    public double latencySecondsSum() {
        return latencyNanosSum.get() / 1e9;
    }

    /** When the last batch was acknowledged (epoch ms), or 0. */
    public long lastShippedAtMillis() {
        return lastShippedAtMillis.get();
    }

    /** How long the last acknowledged batch took (its successful attempt), in ms; -1 before the first. */
    public double lastLatencyMillis() {
        long nanos = lastLatencyNanos.get();
        return nanos < 0 ? -1 : nanos / 1e6;
    }

    public long shippedEvents() {
        return shippedEvents.get();
    }

    public long shippedMetrics() {
        return shippedMetrics.get();
    }

    public long batches() {
        return batches.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** The last failure's one-line description, or empty. */
    public String lastError() {
        return lastError.get();
    }
}
