package io.vigil.plugin.dbperf.rate;

import io.vigil.api.StateStore;
import io.vigil.plugin.dbperf.collect.Reading.CounterSet;
import io.vigil.plugin.dbperf.state.StateRecord;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns cumulative counters into per-interval deltas and per-second rates, one scope (the server,
 * or one database) at a time.
 *
 * <p>The previous reading of each scope is kept in memory and in the monitor's
 * {@link StateStore}, so the first poll after an agent restart already has a rate (over the time
 * the agent was away) instead of starting over.
 *
 * <p>A counter reset is never reported as a rate: when the scope's marker changed (PostgreSQL's
 * {@code stats_reset}, a server restart) or any counter went down (MariaDB's {@code FLUSH STATUS},
 * a restart, which {@code Uptime} going down also shows), that interval is skipped, the new values
 * become the baseline, and the next interval has rates again. A reset whose counters have already
 * climbed past their old values by the next reading, on an engine without a marker, cannot be
 * seen.
 *
 * <p>Not thread-safe: called from the monitor's poll only. {@link #flush()} writes what changed
 * in one state-store transaction.
 */
public final class CounterRates {

    static final String KEY_PREFIX = "counters:";

    private final StateStore state;
    private final Map<String, Previous> memory = new HashMap<>();
    private final Map<String, String> pending = new LinkedHashMap<>();

    /** Rates over {@code state}; nothing is read until a scope is first updated. */
    public CounterRates(StateStore state) {
        this.state = state;
    }

    /** What an update found. */
    public sealed interface Outcome permits First, Reset, Deltas {
    }

    /** No previous reading of this scope: this one is the baseline. */
    public record First() implements Outcome {
    }

    /**
     * The counters started again from zero (or the clock went back): the interval is skipped.
     *
     * @param reason why, for the log ({@code "stats_reset changed"}, {@code "commits went from 90 to 3"})
     */
    public record Reset(String reason) implements Outcome {
    }

    /**
     * The increase of each counter present in both readings over {@code seconds}.
     *
     * @param seconds elapsed server time between the two readings, more than 0
     * @param deltas  counter name to increase, never negative
     */
    public record Deltas(double seconds, Map<String, Long> deltas) implements Outcome {

        /** The increase of one counter, if both readings had it. */
        public OptionalLong delta(String counter) {
            Long d = deltas.get(counter);
            return d == null ? OptionalLong.empty() : OptionalLong.of(d);
        }

        /** The summed increase of the counters per second, if both readings had all of them. */
        public OptionalDouble rate(String... counters) {
            long sum = 0;
            for (String c : counters) {
                Long d = deltas.get(c);
                if (d == null) {
                    return OptionalDouble.empty();
                }
                sum += d;
            }
            return OptionalDouble.of(sum / seconds);
        }
    }

    private record Previous(String marker, double time, Map<String, Long> values) {
    }

    /**
     * Compares {@code current}, read at server time {@code time} (epoch seconds), with the
     * previous reading of {@code scope} and makes it the new previous one.
     */
    public Outcome update(String scope, CounterSet current, double time) {
        Previous previous = memory.containsKey(scope) ? memory.get(scope) : load(scope);
        Previous now = new Previous(current.marker(), time, Map.copyOf(current.values()));
        memory.put(scope, now);
        pending.put(KEY_PREFIX + scope, encode(now));
        if (previous == null) {
            return new First();
        }
        if (!previous.marker().equals(now.marker())) {
            return new Reset("statistics were reset or the server restarted (marker " + previous.marker()
                    + " is now " + now.marker() + ")");
        }
        if (now.time() <= previous.time()) {
            return new Reset("the server clock did not advance (" + previous.time() + " then " + now.time() + ")");
        }
        Map<String, Long> deltas = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : new TreeMap<>(now.values()).entrySet()) { // the first by name is reported
            Long before = previous.values().get(e.getKey());
            if (before == null) {
                continue;
            }
            if (e.getValue() < before) {
                return new Reset(e.getKey() + " went down from " + before + " to " + e.getValue()
                        + " (statistics flushed or the server restarted)");
            }
            deltas.put(e.getKey(), e.getValue() - before);
        }
        return new Deltas(now.time() - previous.time(), deltas);
    }

    /** Forgets every scope not in {@code scopes} (a dropped database), here and in the state store. */
    public void retainOnly(Set<String> scopes) {
        memory.keySet().removeIf(s -> !scopes.contains(s));
        for (String key : state.entries(KEY_PREFIX).keySet()) {
            if (!scopes.contains(key.substring(KEY_PREFIX.length()))) {
                state.remove(key);
            }
        }
        pending.keySet().removeIf(k -> !scopes.contains(k.substring(KEY_PREFIX.length())));
    }

    /** Writes the readings updated since the last flush, in one transaction. */
    public void flush() {
        if (!pending.isEmpty()) {
            state.putAll(pending);
            pending.clear();
        }
    }

    private Previous load(String scope) {
        return state.get(KEY_PREFIX + scope).map(CounterRates::decode).orElse(null);
    }

    private static String encode(Previous p) {
        Map<String, String> flat = new LinkedHashMap<>();
        flat.put("marker", p.marker());
        flat.put("time", Double.toString(p.time()));
        p.values().forEach((k, v) -> flat.put("c." + k, Long.toString(v)));
        return StateRecord.encode(flat);
    }

    private static Previous decode(String line) {
        Map<String, String> flat = StateRecord.decode(line);
        try {
            Map<String, Long> values = new LinkedHashMap<>();
            flat.forEach((k, v) -> {
                if (k.startsWith("c.")) {
                    values.put(k.substring(2), Long.parseLong(v));
                }
            });
            return new Previous(flat.getOrDefault("marker", ""), Double.parseDouble(flat.get("time")), values);
        } catch (RuntimeException e) {
            return null; // unreadable: start a new baseline
        }
    }
}
