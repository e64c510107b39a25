package io.vigil.agent.schedule;

import io.vigil.agent.ship.WireJson;
import io.vigil.agent.spool.ItemKind;
import io.vigil.agent.spool.Spool;
import io.vigil.api.Emitter;
import io.vigil.api.Event;
import io.vigil.api.EventIds;
import io.vigil.api.MetricSample;
import java.time.Clock;
import java.util.Map;

/**
 * The emitter a monitor gets: stamps each event with where it came from (host, agent, monitor,
 * plugin, the current run's trace id and the process's session id), adds a {@code host} label to
 * metric samples that lack one, encodes once and commits to the spool.
 */
final class SpoolingEmitter implements Emitter {

    private final Spool spool;
    private final String host;
    private final String agent;
    private final String monitor;
    private final String plugin;
    private final String sessionId;
    private final Clock clock;
    private volatile String traceId;
    private final MonitorStats stats;
    private volatile boolean closed;

    SpoolingEmitter(Spool spool, String host, String agent, String monitor, String plugin, String sessionId,
                    Clock clock, MonitorStats stats) {
        this.spool = spool;
        this.stats = stats;
        this.host = host;
        this.agent = agent;
        this.monitor = monitor;
        this.plugin = plugin;
        this.sessionId = sessionId;
        this.clock = clock;
        this.traceId = sessionId;
    }

    /** Starts a new trace: every event emitted until the next call shares this id. */
    void beginTrace(String id) {
        this.traceId = id;
    }

    void close() {
        closed = true;
    }

    @Override
    public void emit(Event event) {
        checkOpen();
        spool.append(ItemKind.EVENT, WireJson.encode(event.stamped(host, agent, monitor, plugin, traceId, sessionId)));
        stats.emittedEvents.incrementAndGet();
    }

    /**
     * Emits an agent-internal event (a monitor failed or recovered) as a trace of its own: it is one
     * occurrence, not part of a monitor run, and must not share a trace with every other such event
     * of the process.
     */
    void emitInOwnTrace(Event event) {
        checkOpen();
        spool.append(ItemKind.EVENT, WireJson.encode(event.stamped(host, agent, monitor, plugin,
                EventIds.next().toString(), sessionId)));
        stats.emittedEvents.incrementAndGet();
    }

    @Override
    public void emit(MetricSample sample) {
        checkOpen();
        MetricSample labelled = sample.labels().containsKey("host") ? sample : sample.withLabel("host", host);
        spool.append(ItemKind.METRIC, WireJson.encode(labelled));
        stats.emittedMetrics.incrementAndGet();
    }

    @Override
    public void metric(String name, double value, String unit, Map<String, String> labels) {
        emit(new MetricSample(name, value, unit, labels, clock.instant()));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("monitor " + monitor + " has been stopped; it can no longer emit");
        }
    }
}
