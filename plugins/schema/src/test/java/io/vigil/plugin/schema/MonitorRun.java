package io.vigil.plugin.schema;

import io.vigil.api.Event;
import io.vigil.api.PolledMonitor;
import io.vigil.testkit.TestMonitorContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A schema monitor under test: its context (state, emitted events) and polls. */
final class MonitorRun implements AutoCloseable {

    final SchemaMonitorFactory factory = new SchemaMonitorFactory();
    final TestMonitorContext ctx;
    private SchemaMonitor monitor;

    MonitorRun(Map<String, ?> options) {
        this.ctx = TestMonitorContext.forFactory(factory, options);
        this.monitor = (SchemaMonitor) factory.create(ctx);
    }

    SchemaMonitor monitor() {
        return monitor;
    }

    /** Polls once and returns the events that poll emitted. */
    List<Event> poll() throws Exception {
        int before = ctx.events().size();
        ((PolledMonitor) monitor).poll();
        return new ArrayList<>(ctx.events().subList(before, ctx.events().size()));
    }

    /** Closes the monitor and creates a new one on the same state, as an agent restart does. */
    void restart() throws Exception {
        monitor.close();
        monitor = (SchemaMonitor) factory.create(ctx);
    }

    /** The one event of a poll, failing when there is not exactly one. */
    static Event only(List<Event> events) {
        if (events.size() != 1) {
            throw new AssertionError("expected exactly one event, got " + events.stream()
                    .map(e -> e.type() + " " + e.attributes()).toList());
        }
        return events.get(0);
    }

    /** The list attribute {@code action} (removed, renamed, altered, added) of a schema.changed event. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> changes(Event e, String action) {
        return (List<Map<String, Object>>) e.attributes().get(action);
    }

    /** "object name risk rules" per change of a list, for compact exact assertions. */
    static List<String> summary(Event e, String action) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> c : changes(e, action)) {
            out.add(c.get("object") + " " + (c.containsKey("from") ? c.get("from") + " -> " : "") + c.get("name") + " "
                    + c.get("risk") + " " + c.get("rules"));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        monitor.close();
    }
}
