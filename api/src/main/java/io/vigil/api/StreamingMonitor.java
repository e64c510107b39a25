package io.vigil.api;

/**
 * A monitor that follows a stream (Docker's event stream, an inotify watch) and emits as things
 * happen.
 *
 * <p>Threading: the agent calls {@link #run()} once on a dedicated thread. {@code run} blocks for
 * as long as the monitor works; to stop it the agent calls {@link #close()} from another thread
 * and interrupts the run thread, after which {@code run} must return promptly.
 *
 * <p>Failure: if {@code run} throws or returns while the agent has not asked it to stop, the
 * agent logs and counts it and calls {@code run} again after an exponential backoff (1 s doubling
 * to 1 min, reset after 1 min of healthy running). Keep resumable position (a cursor, a
 * timestamp) in the {@link StateStore} so a restart neither loses nor repeats events.
 */
public interface StreamingMonitor extends Monitor {

    /** Follows the stream until closed or interrupted. */
    void run() throws Exception;
}
