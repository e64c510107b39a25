package io.vigil.agent.schedule;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What happened to one monitor since the agent started; read by status and the heartbeat. */
public final class MonitorStats {
    final AtomicLong runs = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong restarts = new AtomicLong();
    final AtomicReference<String> lastError = new AtomicReference<>("");
    final AtomicLong emittedEvents = new AtomicLong();
    final AtomicLong emittedMetrics = new AtomicLong();
    final String plugin;

    MonitorStats(String plugin) {
        this.plugin = plugin;
    }

    /** The plugin the monitor comes from. */
    public String plugin() {
        return plugin;
    }

    /** Events the monitor emitted. */
    public long emittedEvents() {
        return emittedEvents.get();
    }

    /** Metric samples the monitor emitted. */
    public long emittedMetrics() {
        return emittedMetrics.get();
    }

    /** Completed polls (or streaming sessions). */
    public long runs() {
        return runs.get();
    }

    /** Polls or streaming sessions that threw. */
    public long failures() {
        return failures.get();
    }

    /** Polls interrupted for running past their timeout. */
    public long timeouts() {
        return timeouts.get();
    }

    /** Polls not started because the previous one was still running. */
    public long skipped() {
        return skipped.get();
    }

    /** Times a streaming monitor was restarted after ending or failing. */
    public long restarts() {
        return restarts.get();
    }

    /** The last failure, one line, or empty. */
    public String lastError() {
        return lastError.get();
    }
}
