package io.vigil.server.notify;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.server.crypto.Secret;
import io.vigil.server.database.DatabaseFailures;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends the outbox. {@code vigil.notify.workers} threads each claim one due notification at a time
 * with {@code SELECT ... FOR UPDATE SKIP LOCKED}, mark it {@code sending} with a lease and commit,
 * send it without holding a transaction, then record the outcome and one delivery-log row
 * ({@code notification_attempts}). Any number of replicas can run this on one database: a row is
 * claimed by exactly one worker; a worker that dies mid-send leaves a lease that expires, and the
 * row is sent again (at-least-once, with the notification id as the receivers' idempotency key).
 *
 * <p>Workers sleep until woken ({@link DispatchSignal}: after a local commit, or a NOTIFY from
 * another replica), until the next retry is due, or at most {@code vigil.notify.poll-interval}.
 *
 * <p>Failures retry with exponential backoff and jitter ({@code vigil.notify.retry.*}), honouring
 * the receiver's {@code Retry-After}; after {@code max-attempts}, or at once for a failure that
 * cannot heal, the notification is {@code failed}: logged, counted, and kept with its error.
 */
@Singleton
@Requires(property = "vigil.alerting.enabled", notEquals = "false")
class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final TransactionOperations<Connection> transactions;
    private final ChannelCatalog channels;
    private final DispatchSignal signal;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final int workers;
    private final Duration poll;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxAttempts;
    private final Duration lease;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean databaseDown;
    private final java.util.concurrent.atomic.AtomicLong lastLeaseCheck = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

    /** A claimed notification: its payload as stored, or (handed off) the message itself. */
    private record Claimed(long id, String channel, @Nullable String payload, @Nullable NotificationMessage message,
                           int attempt) {
    }

    /** How long a claimed notification stays with its worker: a send cannot outlast its timeouts. */
    static Duration lease(Duration httpTimeout) {
        return httpTimeout.multipliedBy(3).plusSeconds(30);
    }

    Dispatcher(TransactionOperations<Connection> transactions, ChannelCatalog channels, DispatchSignal signal,
               JsonMapper json, MeterRegistry meters, @Named("alerting") Clock clock,
               @Value("${vigil.notify.workers:4}") int workers,
               @Value("${vigil.notify.poll-interval:5s}") Duration poll,
               @Value("${vigil.notify.retry.initial-backoff:10s}") Duration initialBackoff,
               @Value("${vigil.notify.retry.max-backoff:1h}") Duration maxBackoff,
               @Value("${vigil.notify.retry.max-attempts:10}") int maxAttempts,
               @Value("${vigil.notify.http-timeout:10s}") Duration httpTimeout) {
        this.transactions = transactions;
        this.channels = channels;
        this.signal = signal;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
        this.workers = workers;
        this.poll = poll;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.lease = lease(httpTimeout);
    }

    @EventListener
    synchronized void start(StartupEvent event) {
        if (running || workers <= 0) {
            return;
        }
        running = true;
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, "vigil-notify-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        signal.accepting(true);
        LOG.info("notification dispatcher started: {} workers", workers);
    }

    /** Stops as soon as the server begins to shut down, before the pool and the database go. */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        List<DispatchSignal.Handed> left = signal.accepting(false);
        signal.wakeAll();
        // a worker blocked on the database (or a slow receiver) is interrupted: whatever it was
        // sending stays leased and is sent again by a live replica once the lease expires
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
                if (t.isAlive()) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
        if (!left.isEmpty()) {
            try {
                // claimed by this server but not sent: due again for any replica (best effort; else the lease expires)
                transactions.executeWrite(status -> {
                    try (PreparedStatement st = status.getConnection().prepareStatement(
                            "UPDATE notifications SET state = 'pending', lease_until = NULL, attempts = attempts - 1 "
                                    + "WHERE id = ANY(?) AND state = 'sending'")) {
                        st.setArray(1, status.getConnection().createArrayOf("bigint",
                                left.stream().map(DispatchSignal.Handed::id).toArray()));
                        return st.executeUpdate();
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("{} notification(s) claimed by this server were not sent; they are sent again once their lease "
                        + "expires", left.size());
            }
        }
    }

    private void work() {
        while (running) {
            long seen = signal.generation();
            try {
                DispatchSignal.Handed handed = signal.takeHanded();
                if (handed != null) {
                    deliver(new Claimed(handed.id(), handed.channel(), null, handed.message(), 1));
                    continue;
                }
                Claimed claimed = claim();
                if (databaseDown) {
                    databaseDown = false;
                    LOG.info("notification dispatch works again: the database is back");
                }
                if (claimed != null) {
                    signal.wake(); // another worker looks for the next one while this one sends
                    deliver(claimed);
                    continue;
                }
                long now = System.nanoTime();
                long last = lastLeaseCheck.get();
                if (now - last > poll.toNanos() && lastLeaseCheck.compareAndSet(last, now)) {
                    recoverExpiredLeases();
                }
                long waitMs = poll.toMillis();
                Instant next = nextDue();
                if (next != null) {
                    waitMs = Math.max(0, Math.min(waitMs, Duration.between(clock.instant(), next).toMillis() + 1));
                }
                if (waitMs > 0) {
                    signal.await(seen, waitMs);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (DatabaseFailures.isUnavailable(e)) {
                    if (!databaseDown) {
                        databaseDown = true;
                        LOG.warn("notification dispatch paused: the database is unreachable ({})",
                                e.getClass().getSimpleName());
                    }
                } else {
                    LOG.error("notification dispatch failed: {}", e.toString(), e);
                }
                try {
                    signal.await(seen, 1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private @Nullable Claimed claim() {
        return transactions.executeWrite(status -> {
            Instant now = clock.instant();
            try (PreparedStatement st = status.getConnection().prepareStatement("""
                    UPDATE notifications n SET state = 'sending', attempts = n.attempts + 1, lease_until = ?
                      FROM (SELECT id FROM notifications WHERE state = 'pending' AND next_attempt_at <= ?
                             ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) due
                     WHERE n.id = due.id
                    RETURNING n.id, n.channel, n.payload::text, n.attempts""")) {
                st.setTimestamp(1, Timestamp.from(now.plus(lease)));
                st.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), null, rs.getInt(4))
                            : null;
                }
            }
        });
    }

    private @Nullable Instant nextDue() {
        return transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "SELECT min(next_attempt_at) FROM notifications WHERE state = 'pending'");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                Timestamp t = rs.getTimestamp(1);
                return t == null ? null : t.toInstant();
            }
        });
    }

    private void recoverExpiredLeases() {
        int n = transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "UPDATE notifications SET state = 'pending', lease_until = NULL WHERE state = 'sending' AND lease_until < ?")) {
                st.setTimestamp(1, Timestamp.from(clock.instant()));
                return st.executeUpdate();
            }
        });
        if (n > 0) {
            LOG.warn("{} notification(s) whose sender stopped mid-send are due again", n);
        }
    }

    private void deliver(Claimed n) {
        Channel channel = channels.find(n.channel());
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        DeliveryResult result;
        if (channel == null) {
            result = DeliveryResult.failed("channel \"" + n.channel() + "\" is not configured (any more) in the routing file", null);
        } else {
            try {
                NotificationMessage message = n.message() != null ? n.message()
                        : json.readValue(n.payload(), NotificationMessage.class);
                result = channel.send(n.id(), message);
            } catch (IOException | RuntimeException e) {
                String text = e.getMessage() == null ? "" : ": " + e.getMessage();
                result = DeliveryResult.retry(e.getClass().getSimpleName() + text, null, null);
            }
        }
        long nanos = System.nanoTime() - t0;
        List<Secret> secrets = channel == null ? List.of() : channel.secrets();
        String error = result.error() == null ? null : Secret.redact(result.error(), secrets);
        DeliveryResult.Outcome outcome = result.outcome();
        if (outcome == DeliveryResult.Outcome.RETRY && n.attempt() >= maxAttempts) {
            outcome = DeliveryResult.Outcome.FAILED;
            error = "gave up after " + n.attempt() + " attempts: " + error;
        }
        Instant now = clock.instant();
        Instant next = outcome == DeliveryResult.Outcome.RETRY ? now.plus(backoff(n.attempt(), result.retryAfter())) : now;
        record(n, outcome, started, nanos, result.httpStatus(), error, next, now);

        String type = channel == null ? "unknown" : channel.type();
        meters.counter("vigil.notify.deliveries", "channel_type", type, "outcome",
                outcome.name().toLowerCase(java.util.Locale.ROOT)).increment();
        Timer.builder("vigil.notify.delivery.duration").tag("channel_type", type).register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
        switch (outcome) {
            case DELIVERED -> LOG.debug("notification {} delivered to {} ({}) in {} ms", n.id(), n.channel(), type,
                    nanos / 1_000_000);
            case RETRY -> LOG.atWarn().addKeyValue("notification_id", n.id()).addKeyValue("channel", n.channel())
                    .setMessage("notification {} to {} ({}) failed on attempt {} of {}, next try at {}: {}")
                    .addArgument(n.id()).addArgument(n.channel()).addArgument(type).addArgument(n.attempt())
                    .addArgument(maxAttempts).addArgument(next).addArgument(error).log();
            case FAILED -> LOG.atError().addKeyValue("notification_id", n.id()).addKeyValue("channel", n.channel())
                    .setMessage("notification {} to {} ({}) failed for good after {} attempt(s): {}")
                    .addArgument(n.id()).addArgument(n.channel()).addArgument(type).addArgument(n.attempt())
                    .addArgument(error).log();
        }
    }

    private void record(Claimed n, DeliveryResult.Outcome outcome, Instant started, long nanos,
                        @Nullable Integer httpStatus, @Nullable String error, Instant next, Instant now) {
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement st = c.prepareStatement("""
                    UPDATE notifications SET state = ?, next_attempt_at = ?, lease_until = NULL, delivered_at = ?,
                                             last_error = ?
                     WHERE id = ?""")) {
                st.setString(1, switch (outcome) {
                    case DELIVERED -> "delivered";
                    case RETRY -> "pending";
                    case FAILED -> "failed";
                });
                st.setTimestamp(2, Timestamp.from(next));
                st.setTimestamp(3, outcome == DeliveryResult.Outcome.DELIVERED ? Timestamp.from(now) : null);
                st.setString(4, error);
                st.setLong(5, n.id());
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO notification_attempts (notification_id, attempt, started_at, latency_ms, outcome,
                                                       http_status, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                st.setLong(1, n.id());
                st.setInt(2, n.attempt());
                st.setTimestamp(3, Timestamp.from(started));
                st.setDouble(4, nanos / 1e6);
                st.setString(5, outcome.name().toLowerCase(java.util.Locale.ROOT));
                if (httpStatus == null) {
                    st.setNull(6, Types.INTEGER);
                } else {
                    st.setInt(6, httpStatus);
                }
                st.setString(7, error);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** initial × 2^(attempt-1), at most max, ±20 % jitter; a longer Retry-After wins (up to max). */
    Duration backoff(int attempt, @Nullable Duration retryAfter) {
        double base = initialBackoff.toMillis() * Math.pow(2, Math.min(30, attempt - 1));
        double jittered = Math.min(maxBackoff.toMillis(), base) * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble());
        long ms = (long) jittered;
        if (retryAfter != null && retryAfter.toMillis() > ms) {
            ms = Math.min(retryAfter.toMillis(), maxBackoff.toMillis());
        }
        return Duration.ofMillis(ms);
    }
}
