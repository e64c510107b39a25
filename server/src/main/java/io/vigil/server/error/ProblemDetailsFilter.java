package io.vigil.server.error;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Completes every {@link ApiError} body on its way out with the response's status code and reason
 * phrase, so that code answering an error only has to say what went wrong.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class ProblemDetailsFilter {

    @ResponseFilter
    void complete(MutableHttpResponse<?> response) {
        response.getBody().ifPresent(body -> {
            if (body instanceof ApiError error && error.status() == null) {
                ((MutableHttpResponse<Object>) response).body(error.withStatus(response.code(), response.reason()));
            }
        });
    }
}
