package io.vigil.plugin.dbperf.check;

import io.vigil.api.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Each database's size over the growth window, to tell how much it grew within it: a point is
 * kept at most every window/24 (hourly for a day), in the monitor's {@link StateStore} so a
 * restart keeps the history, and growth is measured against the oldest point still inside the
 * window. Not thread-safe.
 */
public final class SizeHistory {

    static final String KEY_PREFIX = "size:";
    private static final int POINTS = 24;

    private final StateStore state;
    private final Duration window;
    private final Duration spacing;

    /** A history over {@code window}. */
    public SizeHistory(StateStore state, Duration window) {
        this.state = state;
        this.window = window;
        this.spacing = window.dividedBy(POINTS);
    }

    /**
     * Growth of a database within the window.
     *
     * @param baselineBytes the size at the oldest point inside the window
     * @param baselineTime  when that was
     * @param bytes         the size now
     * @param pct           growth in percent of the baseline (NaN when the baseline was 0 bytes)
     * @param bytesPerHour  average growth per hour since the baseline
     */
    public record Growth(long baselineBytes, Instant baselineTime, long bytes, double pct, double bytesPerHour) {

        /** Bytes added since the baseline (negative when it shrank). */
        public long grownBytes() {
            return bytes - baselineBytes;
        }
    }

    private record Point(Instant time, long bytes) {
    }

    /**
     * Records the size of {@code database} measured at {@code now} and returns its growth since
     * the oldest point within the window, or empty when there is no earlier point in it.
     */
    public Optional<Growth> record(String database, long bytes, Instant now) {
        String key = KEY_PREFIX + database;
        List<Point> points = new ArrayList<>(decode(state.get(key).orElse("")));
        Instant oldest = now.minus(window);
        points.removeIf(p -> p.time().isBefore(oldest) || p.time().isAfter(now));
        Optional<Growth> growth = Optional.empty();
        if (!points.isEmpty()) {
            Point base = points.get(0);
            double hours = Duration.between(base.time(), now).toMillis() / 3_600_000.0;
            if (hours > 0) {
                double pct = base.bytes() > 0 ? (bytes - base.bytes()) * 100.0 / base.bytes() : Double.NaN;
                growth = Optional.of(new Growth(base.bytes(), base.time(), bytes, pct, (bytes - base.bytes()) / hours));
            }
        }
        if (points.isEmpty() || !points.get(points.size() - 1).time().plus(spacing).isAfter(now)) {
            points.add(new Point(now, bytes));
        }
        while (points.size() > POINTS + 1) {
            points.remove(0);
        }
        state.put(key, encode(points));
        return growth;
    }

    /** Forgets the histories of databases not in {@code databases}. */
    public void retainOnly(Set<String> databases) {
        for (String key : state.entries(KEY_PREFIX).keySet()) {
            if (!databases.contains(key.substring(KEY_PREFIX.length()))) {
                state.remove(key);
            }
        }
    }

    private static String encode(List<Point> points) {
        return points.stream().map(p -> p.time().getEpochSecond() + ":" + p.bytes()).collect(Collectors.joining(","));
    }

    private static List<Point> decode(String text) {
        List<Point> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String item : text.split(",")) {
            int colon = item.indexOf(':');
            try {
                out.add(new Point(Instant.ofEpochSecond(Long.parseLong(item.substring(0, colon))),
                        Long.parseLong(item.substring(colon + 1))));
            } catch (RuntimeException ignored) {
                // a damaged point is dropped; the rest of the history still counts
            }
        }
        return out;
    }
}
