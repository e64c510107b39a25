package io.vigil.api;

/**
 * A running monitor instance, created by a {@link MonitorFactory} for one entry of the agent's
 * configuration. A monitor is either a {@link PolledMonitor} (the agent calls it on a schedule)
 * or a {@link StreamingMonitor} (it runs for as long as the agent does and emits as things
 * happen); the agent refuses any other implementation when it creates the monitor.
 */
public interface Monitor extends AutoCloseable {

    /**
     * Releases what the monitor holds (connections, watches, threads). Called once, by the
     * agent's control thread, when the agent stops or the monitor is removed; for a streaming
     * monitor this is also how {@link StreamingMonitor#run()} is told to return, so it may be
     * called while {@code run} is blocked on another thread. Exceptions are logged and ignored.
     */
    @Override
    default void close() throws Exception {
    }
}
