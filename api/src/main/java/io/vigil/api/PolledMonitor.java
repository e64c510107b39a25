package io.vigil.api;

/**
 * A monitor the agent calls on a schedule: every {@code interval} of its configuration.
 *
 * <p>Threading: {@link #poll()} is called on an agent worker thread, never concurrently with
 * itself for the same instance. Runs that would overlap are skipped and counted rather than
 * queued, so a slow target does not build a backlog.
 *
 * <p>Failure: if {@code poll} throws, the agent logs the exception, counts it against this
 * monitor, reports it to the server and calls {@code poll} again at the next interval. If it runs
 * longer than the configured {@code timeout} the worker thread is interrupted and the run counted
 * as timed out: honour interruption in blocking calls (or set timeouts on them) so a hung target
 * cannot hold a thread for ever. Either way the other monitors keep running.
 */
public interface PolledMonitor extends Monitor {

    /**
     * Performs one check and emits what it found through the context's {@link Emitter}. Events
     * emitted during one call share a trace id.
     */
    void poll() throws Exception;
}
