package io.vigil.api;

import java.time.Instant;
import java.util.Map;

/**
 * Where a monitor puts what it found. The agent stamps each event with its origin, writes it to
 * the on-disk spool and ships it to the server later; the monitor never talks to the server.
 *
 * <p>Thread-safe: a monitor may emit from any thread. A call returns once the item is durable in
 * the local spool (a few hundred microseconds), so it never waits for the network. When the
 * spool is full the agent applies its documented overflow policy and counts what it dropped;
 * {@code emit} itself does not throw for that.
 */
public interface Emitter {

    /**
     * Records an event.
     *
     * @throws IllegalStateException after the monitor has been stopped
     */
    void emit(Event event);

    /**
     * Records a metric sample.
     *
     * @throws IllegalStateException after the monitor has been stopped
     */
    void emit(MetricSample sample);

    /** Shorthand for a sample measured now. */
    default void metric(String name, double value, String unit, Map<String, String> labels) {
        emit(new MetricSample(name, value, unit, labels, Instant.now()));
    }
}
