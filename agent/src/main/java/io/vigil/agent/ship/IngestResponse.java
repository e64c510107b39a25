package io.vigil.agent.ship;

import java.time.Duration;

/**
 * What the server said to one batch, classified for the shipper.
 *
 * @param status     HTTP status
 * @param retryAfter the server's Retry-After, or {@code null}
 * @param body       the response body, truncated, for logs (never contains secrets)
 */
record IngestResponse(int status, Duration retryAfter, String body) {

    boolean accepted() {
        return status / 100 == 2;
    }

    /** 400 and 422: the batch itself is wrong and will be wrong every time. */
    boolean invalidBatch() {
        return status == 400 || status == 422;
    }

    boolean tooLarge() {
        return status == 413;
    }

    /** 401/403: the token is wrong; the operator must act, but the items stay spooled. */
    boolean refusedToken() {
        return status == 401 || status == 403;
    }
}
