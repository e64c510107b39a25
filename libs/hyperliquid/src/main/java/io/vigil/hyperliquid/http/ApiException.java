package io.vigil.hyperliquid.http;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;

/**
 * A call to a JSON API did not give a usable answer. The message names the API, the request and
 * what was wrong ({@code binance: GET https://…/ticker/price?symbol=BTCUSDT answered HTTP 400:
 * {"code":-1121,"msg":"Invalid symbol."}}); {@link #reason()} classifies it so a monitor can
 * report it in a metric label or event attribute and decide whether to try again later.
 */
public class ApiException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why a call failed. */
    public enum Reason {
        /** No answer within the request timeout. Retryable. */
        TIMEOUT(true),
        /** The connection failed (refused, reset, DNS, TLS). Retryable. */
        UNREACHABLE(true),
        /** HTTP 429 or 418, or the API's own "too many requests" error, or still paused after one. Retryable later. */
        RATE_LIMITED(true),
        /** HTTP 5xx. Retryable. */
        SERVER_ERROR(true),
        /** HTTP 4xx other than 429/418, or an error naming the request (unknown symbol): fix the request. */
        REJECTED(false),
        /** The body is not the documented format: not JSON, or a field missing or of the wrong type. */
        MALFORMED(false),
        /** A well-formed answer that reports an error in its body (Kraken's {@code error} array). */
        API_ERROR(false);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether the same call may succeed later without a configuration change. */
        public boolean retryable() {
            return retryable;
        }

        /** The lower-case name used in metric labels and event attributes ({@code rate_limited}). */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    /** A failure of the given kind; {@code message} names the API and the request. */
    public ApiException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A failure of the given kind caused by {@code cause}. */
    public ApiException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the call failed. */
    public Reason reason() {
        return reason;
    }
}
