package io.vigil.server.silence;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.alert.LabelMatcher;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers "is this alert's notification suppressed right now, and why?" from the active silences
 * (PostgreSQL) and the maintenance windows (routing file). The silences table is read at most once
 * a second (a change made through this server applies at once; one made through another replica
 * within a second), since every notification asks.
 */
@Singleton
public class Silences {

    /** How long the silences read from the table are used before reading them again. */
    static final java.time.Duration FRESH = java.time.Duration.ofSeconds(1);

    private final SilenceStore store;
    private final MaintenanceWindows windows;
    private volatile List<Silence> cached;
    private volatile Instant cachedAt = Instant.MIN;
    private volatile long cachedNanos;

    Silences(SilenceStore store, MaintenanceWindows windows) {
        this.store = store;
        this.windows = windows;
    }

    /** Forgets the silences read before: the next question reads the table (after a change through the API). */
    void invalidate() {
        cached = null;
    }

    /** What suppresses notifications at {@code now}; read once, then asked per alert. */
    public Suppressions at(Connection c, Instant now) throws SQLException {
        List<Silence> silences = cached;
        if (silences == null || System.nanoTime() - cachedNanos > FRESH.toNanos() || now.isBefore(cachedAt)) {
            // the silences that overlap the next second: a cached list stays right while it is used
            silences = store.overlapping(c, now, now.plus(FRESH));
            cached = silences;
            cachedAt = now;
            cachedNanos = System.nanoTime();
        }
        List<Active> active = new ArrayList<>();
        for (Silence s : silences) {
            if (now.isBefore(s.startsAt()) || !now.isBefore(s.endsAt())) {
                continue;
            }
            List<LabelMatcher> m = new ArrayList<>();
            for (String text : s.matchers()) {
                m.add(LabelMatcher.parse(text));
            }
            active.add(new Active(m, "silence " + s.id() + " by " + s.createdBy()
                    + (s.comment().isEmpty() ? "" : " (" + s.comment() + ")") + " until " + s.endsAt()));
        }
        for (MaintenanceWindow w : windows.list()) {
            if (w.activeAt(now)) {
                active.add(new Active(w.match(), "maintenance window " + w.name()));
            }
        }
        return new Suppressions(List.copyOf(active));
    }

    private record Active(List<LabelMatcher> matchers, String reason) {
    }

    /** The silences and maintenance windows active at one instant. */
    public static final class Suppressions {
        private final List<Active> active;

        private Suppressions(List<Active> active) {
            this.active = active;
        }

        /** Why an alert with these labels is not notified, or empty when it is. */
        public Optional<String> reason(Map<String, String> labels) {
            for (Active a : active) {
                if (LabelMatcher.all(a.matchers(), labels)) {
                    return Optional.of(a.reason());
                }
            }
            return Optional.empty();
        }

        public boolean suppressed(@Nullable Map<String, String> labels) {
            return labels != null && reason(labels).isPresent();
        }
    }
}
