package io.vigil.server.ingest;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the ingest requests being stored at once. Each batch needs a database connection for its
 * transaction; letting more batches in than the pool has connections only queues them inside the
 * server, holding their bodies in memory and timing out after {@code connection-timeout} with a 503.
 * Past the bound the server answers 429 + {@code Retry-After} at once instead, and the agent keeps
 * the batch in its spool and retries.
 */
@Singleton
final class IngestGate {

    private final Semaphore slots;
    private final int size;
    private final long waitNanos;

    IngestGate(IngestLimits limits, @Value("${datasources.default.maximum-pool-size:10}") int poolSize) {
        this.size = limits.getMaxInFlight() > 0 ? limits.getMaxInFlight() : Math.max(1, poolSize);
        this.slots = new Semaphore(size, true);
        this.waitNanos = limits.getQueueTimeout().toNanos();
    }

    /** Takes a slot, waiting up to {@code vigil.ingest.queue-timeout}; false when none came free. */
    boolean enter() throws InterruptedException {
        return slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
    }

    /** Gives back the slot taken by a successful {@link #enter()}. */
    void leave() {
        slots.release();
    }

    /** How many requests may be stored at once. */
    int size() {
        return size;
    }
}
