package io.vigil.plugin.example;

import io.vigil.api.Event;
import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/**
 * Emits one {@code example.heartbeat} event per interval, numbered by a counter kept in the state
 * store: the numbering continues across agent restarts, which shows that state is persistent.
 */
@Extension
public final class HeartbeatMonitorFactory implements MonitorFactory {

    static final String COUNTER_KEY = "beats";

    @Override
    public String kind() {
        return "heartbeat";
    }

    @Override
    public String description() {
        return "Emits one numbered example.heartbeat event per interval";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("message", OptionType.STRING, "Title of each heartbeat event").withDefault("alive"),
                OptionSpec.of("severity", OptionType.STRING, "Severity of each heartbeat event").withDefault("info"));
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofSeconds(30);
    }

    @Override
    public Monitor create(MonitorContext context) {
        String message = context.options().string("message");
        // Parse once here so a typo fails at start-up with the operator's config in view.
        Severity severity = Severity.parse(context.options().string("severity"));
        return (PolledMonitor) () -> {
            long beat = context.state().get(COUNTER_KEY).map(Long::parseLong).orElse(0L) + 1;
            context.emitter().emit(Event.builder("example.heartbeat")
                    .severity(severity)
                    .subject(context.host())
                    .title(message)
                    .attribute("beat", beat)
                    .time(context.clock().instant())
                    .build());
            context.state().put(COUNTER_KEY, Long.toString(beat));
        };
    }
}
