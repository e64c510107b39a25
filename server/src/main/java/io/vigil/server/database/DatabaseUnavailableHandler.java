package io.vigil.server.database;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.vigil.server.error.ApiError;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * 503 with {@code Retry-After} while PostgreSQL is unreachable. Agents keep the batch in their
 * spool and retry after the given delay; the delay is {@code vigil.database.retry-after}.
 */
@Produces
@Singleton
public final class DatabaseUnavailableHandler
        implements ExceptionHandler<DatabaseUnavailableException, MutableHttpResponse<ApiError>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);

    private final long retryAfterSeconds;

    DatabaseUnavailableHandler(@Value("${vigil.database.retry-after:5s}") Duration retryAfter) {
        this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
    }

    @Override
    public MutableHttpResponse<ApiError> handle(HttpRequest request, DatabaseUnavailableException exception) {
        LOG.atWarn()
                .addKeyValue("method", request.getMethodName())
                .addKeyValue("path", request.getPath())
                .addKeyValue("outcome", "database_unavailable")
                .setMessage("database unavailable, answered 503: {}")
                .addArgument(exception.getMessage())
                .log();
        return response();
    }

    /**
     * The 503 itself, for a controller that logs the outcome its own way (ingest keeps to one
     * log line per batch).
     */
    public MutableHttpResponse<ApiError> response() {
        return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", Long.toString(retryAfterSeconds))
                .body(ApiError.of("the database is unavailable; nothing was stored, retry after "
                        + retryAfterSeconds + " s"));
    }
}
