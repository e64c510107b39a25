package io.vigil.plugin.dbperf;

import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.testkit.TestMonitorContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A dbperf monitor under test: its context (state, emissions) and polls. */
final class MonitorRun implements AutoCloseable {

    final DbPerfMonitorFactory factory = new DbPerfMonitorFactory();
    final TestMonitorContext ctx;
    private DbPerfMonitor monitor;
    private List<MetricSample> lastSamples = List.of();

    MonitorRun(Map<String, ?> options) {
        this.ctx = TestMonitorContext.forFactory(factory, options);
        this.monitor = (DbPerfMonitor) factory.create(ctx);
    }

    DbPerfMonitor monitor() {
        return monitor;
    }

    /** Polls once and returns the events that poll emitted; its samples are in {@link #samples()}. */
    List<Event> poll() throws Exception {
        int events = ctx.events().size();
        int samples = ctx.samples().size();
        monitor.poll();
        lastSamples = new ArrayList<>(ctx.samples().subList(samples, ctx.samples().size()));
        return new ArrayList<>(ctx.events().subList(events, ctx.events().size()));
    }

    /** The samples of the last poll. */
    List<MetricSample> samples() {
        return lastSamples;
    }

    /** The values of the last poll's samples named {@code name} whose labels include {@code labels}. */
    List<Double> values(String name, Map<String, String> labels) {
        return lastSamples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> labels.entrySet().stream().allMatch(e -> Objects.equals(s.labels().get(e.getKey()), e.getValue())))
                .map(MetricSample::value)
                .toList();
    }

    /** The one value of the last poll for {@code name} and {@code labels}, failing when there is not exactly one. */
    double value(String name, Map<String, String> labels) {
        List<Double> values = values(name, labels);
        if (values.size() != 1) {
            throw new AssertionError("expected one sample of " + name + " " + labels + ", got " + values + " among "
                    + lastSamples.stream().map(s -> s.name() + s.labels() + "=" + s.value()).toList());
        }
        return values.get(0);
    }

    /** Closes the monitor and creates a new one on the same state, as an agent restart does. */
    void restart() throws Exception {
        monitor.close();
        monitor = (DbPerfMonitor) factory.create(ctx);
    }

    /** The one event of a poll, failing when there is not exactly one. */
    static Event only(List<Event> events) {
        if (events.size() != 1) {
            throw new AssertionError("expected exactly one event, got " + events.stream()
                    .map(e -> e.type() + " " + e.subject() + " " + e.attributes()).toList());
        }
        return events.get(0);
    }

    /** "type severity subject" of each event, for exact assertions on a poll's events. */
    static List<String> summary(List<Event> events) {
        return events.stream().map(e -> e.type() + " " + e.severity().wireName() + " " + e.subject()).toList();
    }

    @Override
    public void close() throws Exception {
        monitor.close();
    }
}
