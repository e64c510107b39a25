package io.vigil.testkit;

import io.vigil.api.Emitter;
import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.Options;
import io.vigil.api.Secrets;
import io.vigil.api.StateStore;
import io.vigil.api.ValidatedOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link MonitorContext} for plugin unit tests: options validated against the factory's
 * declarations exactly as the agent does, emitted events and samples captured in lists, state in
 * memory (keep the context to simulate a restart with the same state), and a clock the test
 * moves with {@link #advance(Duration)}.
 *
 * <pre>{@code
 * TestMonitorContext ctx = TestMonitorContext.forFactory(new HeartbeatMonitorFactory(), Map.of("message", "hi"));
 * ((PolledMonitor) new HeartbeatMonitorFactory().create(ctx)).poll();
 * assertEquals("hi", ctx.events().get(0).title());
 * }</pre>
 */
public final class TestMonitorContext implements MonitorContext {

    // Tests give secret options literal values; a reference would need the test's environment.
    private static final Secrets SECRETS_UNSUPPORTED = reference -> {
        throw new IllegalArgumentException("secret references are not resolved in tests; give the value itself");
    };

    private final String pluginId;
    private final Options options;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<MetricSample> samples = new CopyOnWriteArrayList<>();
    private final Map<String, String> state = Collections.synchronizedMap(new TreeMap<>());
    private final Map<String, String> secrets = new HashMap<>();
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private volatile Consumer<Event> beforeEachEvent = event -> { };

    private TestMonitorContext(String pluginId, Options options) {
        this.pluginId = pluginId;
        this.options = options;
    }

    /**
     * A context whose options are {@code configured} validated against the factory's
     * declarations, defaults applied.
     *
     * @throws io.vigil.api.InvalidOptionsException listing every option problem, as the agent would
     */
    public static TestMonitorContext forFactory(MonitorFactory factory, Map<String, ?> configured) {
        return new TestMonitorContext("test", ValidatedOptions.of(factory.options(), configured, SECRETS_UNSUPPORTED));
    }

    /** A context with raw option declarations, for factories under construction. */
    public static TestMonitorContext forOptions(List<OptionSpec> specs, Map<String, ?> configured) {
        return new TestMonitorContext("test", ValidatedOptions.of(specs, configured, SECRETS_UNSUPPORTED));
    }

    /** Events emitted so far, stamped as the agent would stamp them. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Metric samples emitted so far. */
    public List<MetricSample> samples() {
        return List.copyOf(samples);
    }

    /** Forgets what was emitted, keeping state (as a new poll would see it). */
    public void clearEmitted() {
        events.clear();
        samples.clear();
    }

    /**
     * Runs {@code hook} on the emitting thread before each event is captured: to time emissions
     * in a benchmark, or to hold the monitor as a slow spool would.
     */
    public TestMonitorContext beforeEachEvent(Consumer<Event> hook) {
        this.beforeEachEvent = hook;
        return this;
    }

    /** Moves the clock forward. */
    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Makes {@code env:NAME} or {@code file:/path} references resolve to a value in this test. */
    public TestMonitorContext withSecret(String reference, String value) {
        secrets.put(reference, value);
        return this;
    }

    @Override
    public String monitorName() {
        return "test-monitor";
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public String host() {
        return "test-host";
    }

    @Override
    public Options options() {
        return options;
    }

    @Override
    public Emitter emitter() {
        return new Emitter() {
            @Override
            public void emit(Event event) {
                beforeEachEvent.accept(event);
                events.add(event.stamped(host(), "test-agent", monitorName(), pluginId, "test-trace", "test-session"));
            }

            @Override
            public void emit(MetricSample sample) {
                samples.add(sample);
            }
        };
    }

    @Override
    public StateStore state() {
        return new StateStore() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(state.get(key));
            }

            @Override
            public void put(String key, String value) {
                state.put(key, value);
            }

            @Override
            public void putAll(Map<String, String> entries) {
                state.putAll(entries);
            }

            @Override
            public void remove(String key) {
                state.remove(key);
            }

            @Override
            public Map<String, String> entries(String prefix) {
                Map<String, String> out = new TreeMap<>();
                synchronized (state) {
                    state.forEach((k, v) -> {
                        if (k.startsWith(prefix)) {
                            out.put(k, v);
                        }
                    });
                }
                return out;
            }
        };
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException("the test clock is UTC");
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }

    @Override
    public org.slf4j.Logger logger() {
        return org.slf4j.LoggerFactory.getLogger("vigil.test." + pluginId);
    }

    @Override
    public Secrets secrets() {
        return reference -> {
            String value = secrets.get(reference);
            if (value == null) {
                throw new IllegalArgumentException("secret " + reference + " is not set in this test");
            }
            return value;
        };
    }
}
