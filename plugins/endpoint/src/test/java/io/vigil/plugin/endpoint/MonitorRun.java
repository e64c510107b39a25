package io.vigil.plugin.endpoint;

import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.MonitorFactory;
import io.vigil.api.PolledMonitor;
import io.vigil.testkit.TestMonitorContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An endpoint monitor under test: its context (state, emissions) and polls. */
final class MonitorRun {

    final MonitorFactory factory;
    final TestMonitorContext ctx;
    private PolledMonitor monitor;
    private List<MetricSample> lastSamples = List.of();

    MonitorRun(MonitorFactory factory, Map<String, ?> options) throws Exception {
        this.factory = factory;
        this.ctx = TestMonitorContext.forFactory(factory, options);
        this.monitor = (PolledMonitor) factory.create(ctx);
    }

    /** Polls once and returns the events of that poll. */
    List<Event> poll() throws Exception {
        int events = ctx.events().size();
        int samples = ctx.samples().size();
        monitor.poll();
        lastSamples = new ArrayList<>(ctx.samples().subList(samples, ctx.samples().size()));
        return new ArrayList<>(ctx.events().subList(events, ctx.events().size()));
    }

    /** Polls {@code n} times and returns all their events. */
    List<Event> poll(int n) throws Exception {
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.addAll(poll());
        }
        return all;
    }

    /** The value of the last poll's sample {@code name}, failing when there is none. */
    double value(String name) {
        return lastSamples.stream().filter(s -> s.name().equals(name)).map(MetricSample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " among " + lastSamples.stream()
                        .map(MetricSample::name).toList()));
    }

    /** The names of the last poll's samples. */
    List<String> sampleNames() {
        return lastSamples.stream().map(MetricSample::name).toList();
    }

    /** The {@code endpoint.up} values of every poll so far. */
    List<Double> upHistory() {
        return ctx.samples().stream().filter(s -> s.name().equals("endpoint.up")).map(MetricSample::value).toList();
    }

    /** A new monitor on the same state, as an agent restart makes. */
    void restart() throws Exception {
        monitor = (PolledMonitor) factory.create(ctx);
    }

    /** "type severity" per event. */
    static List<String> summary(List<Event> events) {
        return events.stream().map(e -> e.type() + " " + e.severity().wireName()).toList();
    }
}
