package io.vigil.server.notify;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * The outcome of one attempt to deliver a notification. Channels classify failures: what may work
 * later (timeouts, refused connections, HTTP 408/425/429/5xx, SMTP 4xx) is {@link Outcome#RETRY},
 * what will not (other HTTP 4xx: a wrong URL, token or chat id) is {@link Outcome#FAILED}.
 *
 * @param httpStatus the receiver's HTTP status, if it answered over HTTP
 * @param error      what went wrong, fit for logs and the API: never contains a secret
 * @param retryAfter how long the receiver asked us to wait ({@code Retry-After}), if it did
 */
public record DeliveryResult(Outcome outcome, @Nullable Integer httpStatus, @Nullable String error,
                             @Nullable Duration retryAfter) {

    public enum Outcome { DELIVERED, RETRY, FAILED }

    public static DeliveryResult delivered(@Nullable Integer httpStatus) {
        return new DeliveryResult(Outcome.DELIVERED, httpStatus, null, null);
    }

    public static DeliveryResult retry(String error, @Nullable Integer httpStatus, @Nullable Duration retryAfter) {
        return new DeliveryResult(Outcome.RETRY, httpStatus, error, retryAfter);
    }

    public static DeliveryResult failed(String error, @Nullable Integer httpStatus) {
        return new DeliveryResult(Outcome.FAILED, httpStatus, error, null);
    }
}
