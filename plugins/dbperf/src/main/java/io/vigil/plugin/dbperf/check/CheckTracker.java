package io.vigil.plugin.dbperf.check;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.api.StateStore;
import io.vigil.plugin.dbperf.state.StateRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Remembers which checks are past their limit, per server or database, and turns observations
 * into events only on a change: {@code exceeded} once when a value crosses its limit,
 * {@code recovered} once when it is back (or the check was turned off, or the database is gone),
 * both with one fingerprint so the recovery resolves the alert. Nothing while the state stays.
 *
 * <p>The state is in the monitor's {@link StateStore}, so an agent restart during an episode
 * neither repeats the {@code exceeded} nor loses the {@code recovered}. Each event is handed to
 * the sink before the state moves: a crash in between repeats an event, never loses one.
 * Not thread-safe.
 */
public final class CheckTracker {

    static final String KEY_PREFIX = "check:";

    private final StateStore state;
    private final Thresholds thresholds;
    private final String server;
    private final String engine;
    private final Function<String, String> subjects;
    private final Consumer<Event> sink;

    /**
     * @param server   the server as labels name it ({@code postgresql://db1:5432})
     * @param engine   the engine's scheme, an event attribute
     * @param subjects the event subject for a database ({@code null}: the server)
     * @param sink     where events go (the monitor's emitter)
     */
    public CheckTracker(StateStore state, Thresholds thresholds, String server, String engine,
                        Function<String, String> subjects, Consumer<Event> sink) {
        this.state = state;
        this.sink = sink;
        this.thresholds = thresholds;
        this.server = server;
        this.engine = engine;
        this.subjects = subjects;
    }

    /**
     * Emits the events these observations cause and returns them; an observation without a limit
     * (check off) only ends an episode.
     */
    public List<Event> evaluate(List<Observation> observations, Instant now) {
        List<Event> events = new ArrayList<>();
        for (Observation o : observations) {
            String key = key(o.check(), o.database());
            double limit = thresholds.limit(o.check(), o.database());
            Optional<Map<String, String>> episode = state.get(key).map(StateRecord::decode);
            if (Double.isNaN(limit)) {
                episode.ifPresent(e -> {
                    emit(events, recovered(o.check(), o.database(), o.value(), Double.NaN, e, o.details(),
                            "the check is turned off", now));
                    state.remove(key);
                });
                continue;
            }
            boolean exceeded = o.eligible() && o.check().exceeded(o.value(), limit);
            if (exceeded && episode.isEmpty()) {
                emit(events, exceeded(o, limit, now));
                state.put(key, StateRecord.encode(Map.of("since", now.toString(), "peak", Double.toString(o.value()))));
            } else if (exceeded) {
                double peak = parse(episode.get().get("peak"));
                if (o.value() > peak) {
                    Map<String, String> updated = new LinkedHashMap<>(episode.get());
                    updated.put("peak", Double.toString(o.value()));
                    state.put(key, StateRecord.encode(updated));
                }
            } else if (episode.isPresent()) {
                emit(events, recovered(o.check(), o.database(), o.value(), limit, episode.get(), o.details(), null,
                        now));
                state.remove(key);
            }
        }
        return events;
    }

    /**
     * Ends the episodes of databases no longer reported (dropped, or excluded by a new selection),
     * with one {@code recovered} each, emitted and returned.
     */
    public List<Event> forgetAllBut(Set<String> databases, Instant now) {
        List<Event> events = new ArrayList<>();
        for (Map.Entry<String, String> e : state.entries(KEY_PREFIX).entrySet()) {
            String rest = e.getKey().substring(KEY_PREFIX.length());
            int colon = rest.indexOf(':');
            if (colon < 0) {
                state.remove(e.getKey());
                continue;
            }
            String database = rest.substring(colon + 1);
            if (database.isEmpty() || databases.contains(database)) {
                continue;
            }
            try {
                Check check = Check.byId(rest.substring(0, colon));
                emit(events, recovered(check, database, Double.NaN, Double.NaN, StateRecord.decode(e.getValue()),
                        Map.of(), "the database is no longer reported", now));
            } catch (IllegalArgumentException unknown) {
                // a check of an older version: nothing to resolve
            }
            state.remove(e.getKey());
        }
        return events;
    }

    private void emit(List<Event> events, Event event) {
        sink.accept(event);
        events.add(event);
    }

    /** Whether {@code check} is past its limit for {@code database} now (for tests and the log). */
    public boolean isExceeded(Check check, String database) {
        return state.get(key(check, database)).isPresent();
    }

    private Event exceeded(Observation o, double limit, Instant now) {
        String subject = subjects.apply(o.database());
        Check c = o.check();
        return base(c, o.database(), c.exceededType(), c.severity(), now)
                .title(capitalised(c.label()) + " on " + subject + " is " + c.format(o.value()) + " (limit "
                        + c.format(limit) + ")")
                .attribute("value", o.value())
                .attribute("limit", limit)
                .attributes(o.details())
                .build();
    }

    private Event recovered(Check c, String database, double value, double limit, Map<String, String> episode,
                            Map<String, Object> details, String reason, Instant now) {
        String subject = subjects.apply(database);
        Instant since = parseInstant(episode.get("since"), now);
        double peak = parse(episode.get("peak"));
        Event.Builder b = base(c, database, c.recoveredType(), Severity.INFO, now)
                .title(capitalised(c.label()) + " on " + subject + (reason != null ? " no longer watched: " + reason
                        : " is back to " + c.format(value) + " (limit " + c.format(limit) + ")"))
                .attribute("value", Double.isNaN(value) ? null : value)
                .attribute("limit", Double.isNaN(limit) ? null : limit)
                .attribute("peak", Double.isNaN(peak) ? null : peak)
                .attribute("exceeded_since", since.toString())
                .attribute("exceeded_seconds", Duration.between(since, now).toSeconds());
        if (reason != null) {
            b.attribute("reason", reason);
        }
        return b.attributes(details).build();
    }

    private Event.Builder base(Check c, String database, String type, Severity severity, Instant now) {
        String subject = subjects.apply(database);
        return Event.builder(type)
                .severity(severity)
                .time(now)
                .subject(subject)
                .fingerprint("dbperf:" + subject + ":" + c.id())
                .attribute("server", server)
                .attribute("database", database)
                .attribute("engine", engine)
                .attribute("check", c.id())
                .attribute("unit", c.unit());
    }

    private static String key(Check check, String database) {
        return KEY_PREFIX + check.id() + ":" + (database == null ? "" : database);
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static double parse(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static Instant parseInstant(String s, Instant fallback) {
        try {
            return s == null ? fallback : Instant.parse(s);
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
