package io.vigil.server.ingest;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.AgentCaller;
import io.vigil.server.auth.Caller;
import io.vigil.server.auth.Role;
import io.vigil.server.database.DatabaseUnavailableException;
import io.vigil.server.database.DatabaseUnavailableHandler;
import io.vigil.server.error.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /api/v1/ingest}: where agents deliver batches of events and metric samples.
 *
 * <p>Logs one line per batch (agent, outcome, counts, duration; never the token or the body) and
 * counts items and batches ({@link IngestMetrics}).
 */
@Controller("/api/v1/ingest")
class IngestController {

    private static final Logger LOG = LoggerFactory.getLogger(IngestController.class);

    private final IngestService ingest;
    private final IngestMetrics metrics;
    private final DatabaseUnavailableHandler unavailable;
    private final IngestGate gate;
    private final long busyRetryAfterSeconds;

    IngestController(IngestService ingest, IngestMetrics metrics, DatabaseUnavailableHandler unavailable,
                     IngestGate gate, IngestLimits limits) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.unavailable = unavailable;
        this.gate = gate;
        this.busyRetryAfterSeconds = Math.max(1, limits.getBusyRetryAfter().toSeconds());
    }

    // Blocking: the body is read as a stream and stored over JDBC.
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Access(Role.AGENT)
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<?> ingest(HttpRequest<?> request,
                           @Nullable @Body InputStream body,
                           @RequestAttribute(Caller.ATTRIBUTE) AgentCaller agent)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        if (!gate.enter()) {
            metrics.batch("busy").increment();
            outcome(LOG.atInfo(), agent, "busy", 429, start)
                    .setMessage("ingest from {}: refused 429, {} batches are being stored already")
                    .addArgument(agent.name())
                    .addArgument(gate.size())
                    .log();
            return HttpResponse.<ApiError>status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(busyRetryAfterSeconds))
                    // the body is left unread: do not keep the connection for a next request
                    .header(HttpHeaders.CONNECTION, "close")
                    .body(ApiError.of("the server is storing " + gate.size() + " batches already "
                            + "(vigil.ingest.max-in-flight); nothing was stored, retry after "
                            + busyRetryAfterSeconds + " s"));
        }
        try {
            return store(request, body, agent, start);
        } finally {
            gate.leave();
        }
    }

    private HttpResponse<?> store(HttpRequest<?> request, @Nullable InputStream body, AgentCaller agent, long start)
            throws IOException {
        String encoding = request.getHeaders().get(HttpHeaders.CONTENT_ENCODING);
        String userAgent = request.getHeaders().get(HttpHeaders.USER_AGENT);
        try (InputStream in = body == null ? new ByteArrayInputStream(new byte[0]) : body) {
            IngestResult result = ingest.ingest(agent, encoding, in, userAgent);
            metrics.accepted(result);
            outcome(LOG.atInfo(), agent, "accepted", 200, start)
                    .addKeyValue("accepted_events", result.acceptedEvents())
                    .addKeyValue("duplicate_events", result.duplicateEvents())
                    .addKeyValue("accepted_metrics", result.acceptedMetrics())
                    .addKeyValue("duplicate_metrics", result.duplicateMetrics())
                    .setMessage("ingest from {}: {} events ({} duplicate), {} metrics ({} duplicate)")
                    .addArgument(agent.name())
                    .addArgument(result.acceptedEvents() + result.duplicateEvents())
                    .addArgument(result.duplicateEvents())
                    .addArgument(result.acceptedMetrics() + result.duplicateMetrics())
                    .addArgument(result.duplicateMetrics())
                    .log();
            return HttpResponse.ok(result);
        } catch (BatchRejectedException e) {
            metrics.batch(e.outcome()).increment();
            LoggingEventBuilder line = outcome(LOG.atInfo(), agent, e.outcome(), e.status().getCode(), start);
            if (e instanceof BatchRejectedException.Invalid invalid) {
                metrics.invalid(invalid);
                line = line.addKeyValue("events", invalid.events())
                        .addKeyValue("metrics", invalid.metrics())
                        .addKeyValue("problems", invalid.items().size())
                        .setMessage("ingest from {}: refused {} invalid batch ({} events, {} metrics, "
                                + "first problem at {})")
                        .addArgument(agent.name())
                        .addArgument(e.status().getCode())
                        .addArgument(invalid.events())
                        .addArgument(invalid.metrics())
                        // the path only: messages quote values from the body
                        .addArgument(invalid.items().get(0).path());
            } else {
                line = line.setMessage("ingest from {}: refused {} {}")
                        .addArgument(agent.name())
                        .addArgument(e.status().getCode())
                        .addArgument(e.outcome());
            }
            line.log();
            MutableHttpResponse<ApiError> response = HttpResponse.<ApiError>status(e.status()).body(e.body());
            if (!(e instanceof BatchRejectedException.Invalid)) {
                // the rest of the body may be unread: close the connection rather than leave the
                // client's next request behind it on a keep-alive connection
                response.header(HttpHeaders.CONNECTION, "close");
            }
            return response;
        } catch (DatabaseUnavailableException e) {
            metrics.batch("unavailable").increment();
            outcome(LOG.atWarn(), agent, "unavailable", 503, start)
                    .setMessage("ingest from {}: refused 503, {}")
                    .addArgument(agent.name())
                    .addArgument(e.getMessage())
                    .log();
            return unavailable.response();
        } catch (RuntimeException | IOException e) {
            metrics.batch("error").increment();
            outcome(LOG.atError(), agent, "error", 500, start)
                    .setCause(e)
                    .setMessage("ingest from {} failed")
                    .addArgument(agent.name())
                    .log();
            throw e;
        }
    }

    private static LoggingEventBuilder outcome(LoggingEventBuilder line, AgentCaller agent, String outcome, int status,
                                               long startNanos) {
        return line.addKeyValue("agent", agent.name())
                .addKeyValue("outcome", outcome)
                .addKeyValue("status", status)
                .addKeyValue("duration_ms", (System.nanoTime() - startNanos) / 1_000_000);
    }
}
