package io.vigil.plugin.endpoint.health;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.api.StateStore;
import io.vigil.plugin.endpoint.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Up or down, with flap damping: an endpoint goes down after {@code failuresBeforeDown} failed
 * checks in a row and comes back up after {@code successesBeforeUp} good ones in a row, and only
 * those two changes are events ({@code endpoint.down}, {@code endpoint.up}, one fingerprint).
 * A first check that succeeds is no event: nothing changed that anyone needs to hear about.
 *
 * <p>The state and the counts are in the monitor's {@link StateStore}, so an agent restart in
 * the middle of an outage neither repeats {@code endpoint.down} nor forgets the failures counted
 * so far. An event goes to the sink before the state moves: a crash in between repeats it, never
 * loses it. Not thread-safe.
 */
public final class HealthTracker {

    static final String STATE = "health.state";
    static final String FAILURES = "health.failures";
    static final String SUCCESSES = "health.successes";
    static final String FIRST_FAILURE = "health.first_failure";
    static final String DOWN_SINCE = "health.down_since";

    private final StateStore state;
    private final String endpoint;
    private final String kind;
    private final int failuresBeforeDown;
    private final int successesBeforeUp;
    private final Severity downSeverity;
    private final Consumer<Event> sink;

    /** A tracker for {@code endpoint}, checked by a monitor of {@code kind}, emitting to {@code sink}. */
    public HealthTracker(StateStore state, String endpoint, String kind, int failuresBeforeDown, int successesBeforeUp,
                         Severity downSeverity, Consumer<Event> sink) {
        this.state = state;
        this.sink = sink;
        this.endpoint = endpoint;
        this.kind = kind;
        this.failuresBeforeDown = failuresBeforeDown;
        this.successesBeforeUp = successesBeforeUp;
        this.downSeverity = downSeverity;
    }

    /** {@code up}, {@code down}, or {@code unknown} before the first decision. */
    public String current() {
        return state.get(STATE).orElse("unknown");
    }

    /** Counts one check; emits and returns the event it causes, if it changes the state. */
    public Optional<Event> record(ProbeResult result, Instant now) {
        Map<String, String> before = new LinkedHashMap<>();
        for (String key : new String[] {STATE, FAILURES, SUCCESSES, FIRST_FAILURE, DOWN_SINCE}) {
            state.get(key).ifPresent(v -> before.put(key, v));
        }
        Map<String, String> after = new LinkedHashMap<>(before);
        String current = before.getOrDefault(STATE, "unknown");
        Event event = null;
        if (result.ok()) {
            after.remove(FAILURES);
            after.remove(FIRST_FAILURE);
            if (current.equals("down")) {
                int successes = count(before, SUCCESSES) + 1;
                if (successes >= successesBeforeUp) {
                    event = up(result, instant(before.get(DOWN_SINCE), now), successes, now);
                    after.put(STATE, "up");
                    after.remove(SUCCESSES);
                    after.remove(DOWN_SINCE);
                } else {
                    after.put(SUCCESSES, Integer.toString(successes));
                }
            } else {
                after.put(STATE, "up");
            }
        } else {
            after.remove(SUCCESSES);
            int failures = count(before, FAILURES) + 1;
            after.put(FAILURES, Integer.toString(failures));
            after.putIfAbsent(FIRST_FAILURE, now.toString());
            if (!current.equals("down") && failures >= failuresBeforeDown) {
                Instant first = instant(after.get(FIRST_FAILURE), now);
                event = down(result, failures, first, now);
                after.put(STATE, "down");
                after.put(DOWN_SINCE, first.toString());
            }
        }
        if (event != null) {
            sink.accept(event);
        }
        if (!after.equals(before)) {
            for (String key : before.keySet()) {
                if (!after.containsKey(key)) {
                    state.remove(key);
                }
            }
            state.putAll(after);
        }
        return Optional.ofNullable(event);
    }

    private Event down(ProbeResult r, int failures, Instant first, Instant now) {
        Event.Builder b = base("endpoint.down", downSeverity, now)
                .title(endpoint + " is down: " + r.reason() + (failures == 1 ? "" : " (" + failures + " failed checks in a row)"))
                .attribute("phase", r.phase())
                .attribute("reason", r.reason())
                .attribute("consecutive_failures", failures)
                .attribute("first_failure_at", first.toString());
        if (r.status() != null) {
            b.attribute("status", r.status());
        }
        return b.build();
    }

    private Event up(ProbeResult r, Instant since, int successes, Instant now) {
        Duration down = Duration.between(since, now);
        Event.Builder b = base("endpoint.up", Severity.INFO, now)
                .title(endpoint + " is up again after " + human(down))
                .attribute("down_since", since.toString())
                .attribute("down_seconds", down.toSeconds())
                .attribute("consecutive_successes", successes);
        if (r.status() != null) {
            b.attribute("status", r.status());
        }
        return b.build();
    }

    private Event.Builder base(String type, Severity severity, Instant now) {
        return Event.builder(type)
                .severity(severity)
                .time(now)
                .subject(endpoint)
                .fingerprint("endpoint:" + endpoint + ":health")
                .attribute("endpoint", endpoint)
                .attribute("kind", kind);
    }

    private static int count(Map<String, String> values, String key) {
        try {
            return Integer.parseInt(values.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant instant(String text, Instant fallback) {
        try {
            return text == null ? fallback : Instant.parse(text);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
}
