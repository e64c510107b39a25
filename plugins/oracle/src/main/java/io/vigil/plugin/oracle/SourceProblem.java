package io.vigil.plugin.oracle;

import io.vigil.hyperliquid.http.ApiException;
import io.vigil.hyperliquid.http.RateLimitedException;
import java.time.Duration;

/**
 * Why a source's price for one asset was left out of this poll's verdict.
 *
 * @param problem    {@code failed} (no usable answer), {@code stale} (an old or frozen price) or
 *                   {@code outlier} (too far from the other sources)
 * @param reason     the finer cause: an {@link ApiException.Reason} wire name for failures
 *                   ({@code timeout}, {@code rate_limited}, {@code malformed}…), {@code unknown_asset},
 *                   {@code cached} or {@code frozen} for staleness, {@code outlier}
 * @param detail     one line for a human
 * @param retryAfter the server's Retry-After for a rate limit, or null
 */
record SourceProblem(String problem, String reason, String detail, Duration retryAfter) {

    static final String FAILED = "failed";
    static final String STALE = "stale";
    static final String OUTLIER = "outlier";

    static SourceProblem failed(ApiException e) {
        Duration retryAfter = e instanceof RateLimitedException r ? r.retryAfter().orElse(null) : null;
        return new SourceProblem(FAILED, e.reason().wireName(), e.getMessage(), retryAfter);
    }

    static SourceProblem failed(String reason, String detail) {
        return new SourceProblem(FAILED, reason, detail, null);
    }

    static SourceProblem stale(String reason, String detail) {
        return new SourceProblem(STALE, reason, detail, null);
    }

    static SourceProblem outlier(String detail) {
        return new SourceProblem(OUTLIER, OUTLIER, detail, null);
    }

    /** Failed outranks stale, which outranks outlier: the one an event names first. */
    int rank() {
        return switch (problem) {
            case FAILED -> 0;
            case STALE -> 1;
            default -> 2;
        };
    }
}
