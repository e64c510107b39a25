package io.vigil.plugin.endpoint.probe;

import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The moment one check must be over by: connect, handshake, request and response share one
 * budget, so a check never runs longer than its {@code timeout} whatever step is slow.
 */
public final class Deadline {

    private final long endNanos;
    private final Duration budget;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return new Deadline(budget);
    }

    /** The whole budget, for messages. */
    public Duration budget() {
        return budget;
    }

    /**
     * Milliseconds left, at least 1, for a socket timeout.
     *
     * @throws SocketTimeoutException when none are left; {@code step} names what was going on
     */
    public int remainingMillis(String step) throws SocketTimeoutException {
        long left = (endNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("timed out during " + step);
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
