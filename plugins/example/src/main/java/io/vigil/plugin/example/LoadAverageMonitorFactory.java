package io.vigil.plugin.example;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/** Declares the {@code loadavg} monitor; the work is in {@link LoadAverageMonitor}. */
@Extension
public final class LoadAverageMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "loadavg";
    }

    @Override
    public String description() {
        return "Reports the 1, 5 and 15 minute load averages and raises an event when load per CPU stays high";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("path", OptionType.STRING, "File in /proc/loadavg format to read").withDefault("/proc/loadavg"),
                OptionSpec.of("high_per_cpu", OptionType.DECIMAL,
                        "5-minute load per CPU at or above which example.load.high is raised").withDefault(2.0),
                OptionSpec.of("cpus", OptionType.INTEGER,
                        "CPU count to divide by; 0 means the CPUs available to the agent").withDefault(0));
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofSeconds(15);
    }

    @Override
    public Monitor create(MonitorContext context) {
        long cpus = context.options().integer("cpus");
        if (cpus < 0) {
            throw new IllegalArgumentException("cpus must be 0 (detect) or more, got " + cpus);
        }
        return new LoadAverageMonitor(context, Path.of(context.options().string("path")),
                context.options().decimal("high_per_cpu"),
                cpus == 0 ? Runtime.getRuntime().availableProcessors() : (int) cpus);
    }
}
