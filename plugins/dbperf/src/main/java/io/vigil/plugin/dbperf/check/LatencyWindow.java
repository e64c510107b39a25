package io.vigil.plugin.dbperf.check;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * The probe query's round trips over a sliding time window, and their 95th percentile
 * (nearest rank) once the window holds enough of them to mean something. Kept in memory only:
 * after an agent restart the window fills again before the check judges. Not thread-safe.
 */
public final class LatencyWindow {

    /** Fewest samples for a percentile: with fewer, one slow probe would be the p95. */
    public static final int MIN_SAMPLES = 5;

    private record Sample(Instant time, double seconds) {
    }

    private final Duration window;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /** A window of {@code window} length. */
    public LatencyWindow(Duration window) {
        this.window = window;
    }

    /** Records one round trip measured at {@code time}. */
    public void add(Instant time, double seconds) {
        samples.addLast(new Sample(time, seconds));
        prune(time);
    }

    /** The 95th percentile of the samples within the window ending {@code now}, when there are at least {@link #MIN_SAMPLES}. */
    public OptionalDouble p95(Instant now) {
        prune(now);
        if (samples.size() < MIN_SAMPLES) {
            return OptionalDouble.empty();
        }
        double[] sorted = samples.stream().mapToDouble(Sample::seconds).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(0.95 * sorted.length);
        return OptionalDouble.of(sorted[rank - 1]);
    }

    /** Samples in the window. */
    public int size() {
        return samples.size();
    }

    private void prune(Instant now) {
        Instant oldest = now.minus(window);
        while (!samples.isEmpty() && samples.peekFirst().time().isBefore(oldest)) {
            samples.removeFirst();
        }
    }
}
