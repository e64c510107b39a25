package io.vigil.server.query;

import java.time.Duration;
import java.time.Instant;

/**
 * A time range {@code [since, until)} of a query.
 *
 * @param since inclusive start
 * @param until exclusive end
 */
public record TimeWindow(Instant since, Instant until) {

    /** How long the window is. */
    public Duration length() {
        return Duration.between(since, until);
    }
}
