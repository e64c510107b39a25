package io.vigil.hyperliquid.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A successful (2xx) JSON answer.
 *
 * @param body       the parsed body, as a cursor that names the response in its errors
 * @param receivedAt when the answer arrived, by the client's clock; none of the APIs used here
 *                   timestamps its prices, so this is the best "as of" time there is
 * @param cacheAge   the {@code Age} header: how long a cache between the API and us had held the
 *                   answer; empty when no cache said so
 */
public record JsonResponse(JsonCursor body, Instant receivedAt, Optional<Duration> cacheAge) {
}
