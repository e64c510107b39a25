package io.vigil.agent.ship;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.errorlog.ErrorSink;
import io.vigil.agent.spool.Spool;
import io.vigil.agent.spool.SpoolBatch;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves items from the spool to the server, oldest first, one batch at a time. A batch leaves
 * the spool only when the server answered 2xx; network errors, 5xx, 429 and refused tokens are
 * retried with exponential backoff and full jitter (Failsafe), honouring {@code Retry-After}.
 * A 400 moves the batch to the dead-letter table (it would fail for ever); a 413 halves the batch
 * size, and a single item that is still too large is dead-lettered.
 */
public final class Shipper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final Spool spool;
    private final IngestClient client;
    private final AgentConfig.SpoolSettings settings;
    private final ShipStats stats = new ShipStats();
    private final RetryPolicy<IngestResponse> retry;
    private final ErrorSink errors;
    private volatile boolean running = true;
    private int batchItems;
    private long failingSince = -1;
    private long lastWarn;

    public Shipper(Spool spool, URI serverUrl, String token, Duration httpTimeout, AgentConfig.SpoolSettings settings,
                   String userAgent) {
        this(spool, serverUrl, token, httpTimeout, settings, userAgent, ErrorSink.IGNORE);
    }

    /** @param errors where failed attempts and refused batches are also recorded for the server's error log */
    public Shipper(Spool spool, URI serverUrl, String token, Duration httpTimeout, AgentConfig.SpoolSettings settings,
                   String userAgent, ErrorSink errors) {
        this.errors = errors;
        this.spool = spool;
        this.settings = settings;
        this.client = new IngestClient(serverUrl, token, httpTimeout, settings.gzip(), userAgent);
        this.batchItems = settings.batchMaxItems();
        this.retry = RetryPolicy.<IngestResponse>builder()
                .handle(IOException.class)
                .handleResultIf(r -> !r.accepted() && !r.invalidBatch() && !r.tooLarge())
                // The delay is computed here rather than with withBackoff/withJitter, because
                // Failsafe would jitter a server's Retry-After too, and retrying before the time
                // a server asked for is exactly what Retry-After exists to prevent.
                .withDelayFn(ctx -> {
                    IngestResponse last = ctx.getLastResult();
                    return retryDelay(last == null ? null : last.retryAfter(), ctx.getAttemptCount(), settings);
                })
                .withMaxRetries(-1)
                .onFailedAttempt(e -> onFailure(e.getLastResult(), e.getLastException()))
                .build();
    }

    /**
     * Exponential backoff with "equal jitter": half the exponential delay plus a random part up
     * to the other half, so agents that lost the server together do not return together.
     */
    Duration backoff(int attempt) {
        return backoff(attempt, settings);
    }

    /**
     * The delay before retry {@code attempt} (from 1): the server's {@code Retry-After} when it sent
     * one (at most 5 minutes), else {@link #backoff(int, AgentConfig.SpoolSettings)}.
     */
    static Duration retryDelay(Duration retryAfter, int attempt, AgentConfig.SpoolSettings settings) {
        if (retryAfter != null) {
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        return backoff(attempt, settings);
    }

    /** The delay before retry {@code attempt} (from 1) under {@code settings}: see {@link #backoff(int)}. */
    static Duration backoff(int attempt, AgentConfig.SpoolSettings settings) {
        long base = settings.initialBackoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long exp = Math.min(cap, base << Math.min(Math.max(attempt - 1, 0), 30));
        return Duration.ofMillis(exp / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(exp / 2 + 1));
    }

    public ShipStats stats() {
        return stats;
    }

    @Override
    public void run() {
        LOG.info("shipping to {} (spool holds {} items)", client.uri(), spool.depth());
        while (running) {
            try {
                // Linger: give a batch the chance to fill before sending part of one.
                spool.awaitDepth(batchItems, settings.linger());
                SpoolBatch batch = spool.next(batchItems, settings.batchMaxBytes(), Duration.ofSeconds(1));
                if (!batch.isEmpty()) {
                    ship(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (FailsafeException e) {
                if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                    return;
                }
                LOG.error("shipping failed unexpectedly; retrying", e);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.error("shipping failed unexpectedly; retrying in 1s", e);
                sleepQuietly();
            }
        }
    }

    private void ship(SpoolBatch batch) {
        long[] attemptStart = new long[1];
        IngestResponse response = Failsafe.with(retry).get(() -> {
            attemptStart[0] = System.nanoTime();
            return client.send(batch);
        });
        if (failingSince >= 0) {
            LOG.info("server reachable again after {}s; shipping resumes ({} items spooled)",
                    (System.nanoTime() - failingSince) / 1_000_000_000L, spool.depth());
            failingSince = -1;
        }
        if (response.accepted()) {
            spool.acknowledge(batch);
            stats.batches.incrementAndGet();
            long latency = System.nanoTime() - attemptStart[0];
            stats.latencyNanosSum.addAndGet(latency);
            stats.lastLatencyNanos.set(latency);
            stats.lastShippedAtMillis.set(System.currentTimeMillis());
            stats.shippedEvents.addAndGet(batch.events().size());
            stats.shippedMetrics.addAndGet(batch.metrics().size());
            batchItems = Math.min(settings.batchMaxItems(), batchItems * 2);
        } else if (response.tooLarge() && batch.size() > 1) {
            batchItems = Math.max(1, batch.size() / 2);
            LOG.warn("server refused a batch of {} items ({} bytes) as too large; sending {} at a time",
                    batch.size(), batch.bytes(), batchItems);
        } else {
            String reason = "HTTP " + response.status() + ": " + response.body();
            spool.deadLetter(batch, reason);
            // without the body: it quotes the items, and one refused batch should be one error group
            errors.record("ship", ErrorSink.Level.ERROR, "server refused a batch as invalid (HTTP "
                    + response.status() + "); moved to the spool's dead_letter table", null);
            LOG.error("server refused {} items as invalid ({}); moved them to the spool's dead_letter table",
                    batch.size(), reason);
        }
    }

    private void onFailure(IngestResponse response, Throwable error) {
        stats.failedAttempts.incrementAndGet();
        String reason = error != null ? describe(error)
                : response.refusedToken() ? "HTTP " + response.status() + " token refused: check server.token"
                : "HTTP " + response.status() + (response.retryAfter() != null ? " Retry-After " + response.retryAfter().toSeconds() + "s" : "");
        stats.lastError.set(reason);
        // no stack: the reason ("server unreachable (connection refused)", "HTTP 503") is the error
        errors.record("ship", ErrorSink.Level.WARN, "cannot ship to " + client.uri() + ": " + reason, null);
        long now = System.nanoTime();
        if (failingSince < 0) {
            failingSince = now;
        }
        if (now - lastWarn >= WARN_EVERY_NANOS || failingSince == now) {
            lastWarn = now;
            LOG.warn("cannot ship to {}: {}; retrying with backoff ({} items spooled)", client.uri(), reason, spool.depth());
        } else {
            LOG.debug("ship attempt failed: {}", reason);
        }
    }

    private static String describe(Throwable error) {
        if (error instanceof ConnectException) {
            return "server unreachable (connection refused)";
        }
        if (error instanceof HttpTimeoutException) {
            return "server did not answer in time";
        }
        return error.getClass().getSimpleName() + (error.getMessage() != null ? ": " + error.getMessage() : "");
    }

    /** Stops after the batch in flight; the calling thread should then interrupt the shipper thread. */
    public void stop() {
        running = false;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
