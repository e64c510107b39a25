package io.vigil.hyperliquid.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The API said "too many requests" (HTTP 429, Binance's 418 ban, or an error in the body), or a
 * call was not made because the client is still paused after such an answer. The client makes no
 * call to that API before {@link #resumeAt()}.
 */
public final class RateLimitedException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;
    private final Instant resumeAt;
    private final boolean notCalled;

    /**
     * @param message    names the API and the request
     * @param retryAfter the server's {@code Retry-After}, or {@code null} when it sent none
     * @param resumeAt   the earliest time the client calls this API again
     * @param notCalled  true when no request was sent because the client is still paused
     */
    public RateLimitedException(String message, Duration retryAfter, Instant resumeAt, boolean notCalled) {
        super(Reason.RATE_LIMITED, message);
        this.retryAfter = retryAfter;
        this.resumeAt = resumeAt;
        this.notCalled = notCalled;
    }

    /** The delay the server asked for in {@code Retry-After}, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The earliest time the client sends another request to this API. */
    public Instant resumeAt() {
        return resumeAt;
    }

    /** Whether this call was refused locally (still paused) rather than answered by the server. */
    public boolean notCalled() {
        return notCalled;
    }
}
