package io.vigil.api;

import java.time.Duration;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * The extension point of Vigil: a plugin contributes one implementation per kind of monitor it
 * offers, annotated with {@code @org.pf4j.Extension}. The agent finds it through PF4J's extension
 * index; nothing else needs registering.
 *
 * <p>The factory describes the monitor (kind, options) and creates one {@link Monitor} per
 * configured instance. The agent calls {@link #kind()}, {@link #description()} and
 * {@link #options()} at load time, possibly several times, from any thread: keep them constant.
 *
 * <pre>{@code
 * @Extension
 * public final class HeartbeatMonitorFactory implements MonitorFactory {
 *     public String kind() { return "heartbeat"; }
 *     public String description() { return "Emits one event per interval"; }
 *     public List<OptionSpec> options() {
 *         return List.of(OptionSpec.of("message", OptionType.STRING, "Title of each event").withDefault("alive"));
 *     }
 *     public Monitor create(MonitorContext ctx) {
 *         return (PolledMonitor) () -> ctx.emitter().emit(Event.builder("example.heartbeat")
 *                 .title(ctx.options().string("message")).build());
 *     }
 * }
 * }</pre>
 */
public interface MonitorFactory extends ExtensionPoint {

    /**
     * The monitor kind, a snake_case word unique within the plugin. The configuration names it as
     * {@code kind:} when a plugin offers several kinds, and may omit it when there is only one.
     */
    String kind();

    /** One sentence on what the monitor watches, shown by {@code vigil-agent plugins}. */
    String description();

    /** The options this monitor accepts; the single source of their names, types and defaults. */
    List<OptionSpec> options();

    /**
     * The interval used for a {@link PolledMonitor} when the configuration sets none. Ignored
     * for streaming monitors.
     */
    default Duration defaultInterval() {
        return Duration.ofMinutes(1);
    }

    /**
     * Creates a monitor for one configured instance. Called once per instance on the agent's
     * control thread at start-up or reload; it should validate what the option types cannot
     * express and fail fast with an {@link IllegalArgumentException} whose message the operator
     * will read, but should not block on the network (do that in {@code poll} or {@code run}).
     *
     * @return a {@link PolledMonitor} or a {@link StreamingMonitor}
     */
    Monitor create(MonitorContext context) throws Exception;
}
