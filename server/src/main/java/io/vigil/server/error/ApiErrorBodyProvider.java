package io.vigil.server.error;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Gives the errors Micronaut answers itself (404 no such route, 405, 415 wrong content type,
 * unreadable request bodies, unhandled exceptions) the same problem-details shape ({@link ApiError})
 * as the API's own, so a client reads one error format. A 500 names no internals: the log has them.
 */
@Singleton
final class ApiErrorBodyProvider implements JsonErrorResponseBodyProvider<ApiError> {

    @Override
    public ApiError body(ErrorContext context, HttpResponse<?> response) {
        ApiError error;
        if (response.code() >= 500) {
            error = ApiError.of(response.reason() + ": the server failed to handle the request; its log says why");
        } else if (!context.hasErrors()) {
            error = ApiError.of(response.reason());
        } else {
            error = ApiError.of(context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; ")));
        }
        return error.withStatus(response.code(), response.reason());
    }
}
