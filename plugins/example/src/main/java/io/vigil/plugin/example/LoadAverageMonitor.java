package io.vigil.plugin.example;

import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.MonitorContext;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Reads a {@code /proc/loadavg}-format file, emits the three averages as metrics, and emits an
 * event only when the state changes (normal to high or back), remembering the state across
 * restarts so a restart during high load does not raise the same event again.
 */
final class LoadAverageMonitor implements PolledMonitor {

    static final String STATE_KEY = "state";

    private final MonitorContext context;
    private final Path path;
    private final double highPerCpu;
    private final int cpus;

    LoadAverageMonitor(MonitorContext context, Path path, double highPerCpu, int cpus) {
        this.context = context;
        this.path = path;
        this.highPerCpu = highPerCpu;
        this.cpus = cpus;
    }

    @Override
    public void poll() throws IOException {
        String[] fields = Files.readString(path, StandardCharsets.US_ASCII).trim().split("\\s+");
        if (fields.length < 3) {
            throw new IOException(path + " does not look like /proc/loadavg: \"" + String.join(" ", fields) + "\"");
        }
        double load1 = Double.parseDouble(fields[0]);
        double load5 = Double.parseDouble(fields[1]);
        double load15 = Double.parseDouble(fields[2]);
        Instant now = context.clock().instant();
        Map<String, String> labels = Map.of("host", context.host());
        context.emitter().emit(new MetricSample("example.load1", load1, "", labels, now));
        context.emitter().emit(new MetricSample("example.load5", load5, "", labels, now));
        context.emitter().emit(new MetricSample("example.load15", load15, "", labels, now));

        double perCpu = load5 / cpus;
        String state = perCpu >= highPerCpu ? "high" : "normal";
        String previous = context.state().get(STATE_KEY).orElse("normal");
        if (!state.equals(previous)) {
            context.emitter().emit(Event.builder("example.load." + state)
                    .severity(state.equals("high") ? Severity.MEDIUM : Severity.INFO)
                    .subject(context.host())
                    .title(String.format("5-minute load %.2f on %d CPUs is %s (threshold %.2f per CPU)",
                            load5, cpus, state, highPerCpu))
                    .attribute("load1", load1)
                    .attribute("load5", load5)
                    .attribute("load15", load15)
                    .attribute("cpus", cpus)
                    .attribute("per_cpu", perCpu)
                    .attribute("threshold_per_cpu", highPerCpu)
                    // One fingerprint for both directions, so the alert that "high" opens is the
                    // one that "normal" resolves.
                    .fingerprint("example.load:" + context.host())
                    .time(now)
                    .build());
            context.state().put(STATE_KEY, state);
        }
    }
}
