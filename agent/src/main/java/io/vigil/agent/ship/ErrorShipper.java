package io.vigil.agent.ship;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.errorlog.ErrorBook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Ships the agent's own errors from the {@link ErrorBook} to {@code POST /api/v1/errors}, every
 * {@code interval} and as long as there are any. With the spool shipper's discipline: rows leave
 * the book only after a 2xx; network errors, 5xx, 429 and refused tokens are retried with the same
 * exponential backoff and jitter ({@link Shipper#retryDelay}),
 * honouring {@code Retry-After}; a 413 halves the batch; a 400 (the server will refuse these
 * reports for ever) drops them with an error line. Its own failures are logged, never recorded in
 * the book: that would feed itself.
 */
public final class ErrorShipper implements Runnable {

    static final int MAX_REPORTS = 200;
    private static final String PATH = "/api/v1/errors";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorShipper.class);

    private final ErrorBook book;
    private final IngestClient client;
    private final URI uri;
    private final Duration interval;
    private final AgentConfig.SpoolSettings settings;
    private volatile boolean running = true;
    private int batchSize = MAX_REPORTS;
    private int failedAttempts;

    public ErrorShipper(ErrorBook book, URI serverUrl, String token, Duration timeout, Duration interval,
                        AgentConfig.SpoolSettings settings, String userAgent) {
        this.book = book;
        this.client = new IngestClient(serverUrl, token, timeout, false, userAgent);
        this.uri = serverUrl.resolve(PATH);
        this.interval = interval;
        this.settings = settings;
    }

    @Override
    public void run() {
        while (running) {
            try {
                Duration wait = shipOnce();
                if (!wait.isZero()) {
                    Thread.sleep(wait.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("shipping the agent's errors failed unexpectedly; retrying in {}", interval, e);
                sleep(interval);
            }
        }
    }

    /**
     * Sends one batch, if there is one.
     *
     * @return how long to wait before the next call: zero when more is waiting, the interval when
     * the book is empty, a backoff after a failure
     */
    Duration shipOnce() throws InterruptedException {
        List<ErrorBook.Pending> batch = book.pending(batchSize);
        if (batch.isEmpty()) {
            return interval;
        }
        IngestResponse response;
        try {
            response = send(batch);
        } catch (IOException e) {
            return retryLater("server unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), null);
        }
        if (response.accepted()) {
            book.acknowledge(batch);
            boolean more = batch.size() == batchSize;
            if (failedAttempts > 0) {
                LOG.info("the agent's errors are shipped again");
            }
            failedAttempts = 0;
            batchSize = Math.min(MAX_REPORTS, batchSize * 2);
            return more ? Duration.ZERO : interval;
        }
        if (response.tooLarge() && batch.size() > 1) {
            batchSize = Math.max(1, batch.size() / 2);
            return Duration.ZERO;
        }
        if (response.invalidBatch() || response.tooLarge()) {
            book.acknowledge(batch);
            LOG.error("the server refused {} error reports (HTTP {}: {}); they are dropped", batch.size(),
                    response.status(), response.body());
            return Duration.ZERO;
        }
        return retryLater("HTTP " + response.status(), response.retryAfter());
    }

    private Duration retryLater(String reason, Duration retryAfter) {
        failedAttempts++;
        Duration wait = Shipper.retryDelay(retryAfter, failedAttempts, settings);
        if (failedAttempts == 1) {
            LOG.warn("cannot ship the agent's errors to {}: {}; they stay in the error book, retrying", uri, reason);
        } else {
            LOG.debug("error shipment attempt {} failed: {}", failedAttempts, reason);
        }
        return wait;
    }

    private IngestResponse send(List<ErrorBook.Pending> batch) throws IOException, InterruptedException {
        return client.postJson(PATH, WireJson.write(g -> writeReports(g, batch)));
    }

    private static void writeReports(JsonGenerator g, List<ErrorBook.Pending> batch) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("reports");
        for (ErrorBook.Pending p : batch) {
            g.writeStartObject();
            g.writeStringField("component", p.component());
            g.writeStringField("severity", p.severity());
            g.writeStringField("message", p.message());
            if (p.exceptionType() != null) {
                g.writeStringField("exception_type", p.exceptionType());
            }
            if (p.stack() != null) {
                g.writeStringField("stack", p.stack());
            }
            g.writeStringField("first_seen", p.firstSeen().toString());
            g.writeStringField("last_seen", p.lastSeen().toString());
            g.writeNumberField("count", p.count());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Stops after the shipment in flight; the calling thread should then interrupt the shipper's thread. */
    public void stop() {
        running = false;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
