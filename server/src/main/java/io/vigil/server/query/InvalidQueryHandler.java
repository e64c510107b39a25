package io.vigil.server.query;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.vigil.server.error.ApiError;
import jakarta.inject.Singleton;

/** 400 for any read endpoint whose parameters failed {@link QueryParameters}' checks. */
@Produces
@Singleton
final class InvalidQueryHandler implements ExceptionHandler<InvalidQueryException, MutableHttpResponse<ApiError>> {

    @Override
    public MutableHttpResponse<ApiError> handle(HttpRequest request, InvalidQueryException exception) {
        return HttpResponse.badRequest(ApiError.of(exception.getMessage()));
    }
}
