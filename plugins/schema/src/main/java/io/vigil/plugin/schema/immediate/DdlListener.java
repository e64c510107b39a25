package io.vigil.plugin.schema.immediate;

import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.DatabaseConnector;
import io.vigil.dbconnect.FailureReason;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;

/**
 * Immediate mode's listening half: one dedicated connection that LISTENs on
 * {@link PostgresEventTrigger#CHANNEL}, and a daemon thread that waits for notifications with
 * {@link PGConnection#getNotifications(int)} and calls back once a burst of DDL has settled
 * (no notification for {@value #QUIET_MS} ms, or {@value #MAX_DELAY_MS} ms after the first one,
 * whichever comes first), so a migration of fifty statements costs one snapshot, not fifty.
 *
 * <p>When the connection breaks, the thread reconnects with a backoff (1 s doubling to 30 s) and
 * calls back once after reconnecting, since notifications sent meanwhile are lost.
 */
public final class DdlListener implements AutoCloseable {

    static final long QUIET_MS = 150;
    static final long MAX_DELAY_MS = 600;
    private static final long IDLE_WAIT_MS = 1000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** How {@link #start()} went. */
    public sealed interface Outcome {
        /** Listening. */
        record Active() implements Outcome {
        }

        /** The database works but immediate mode cannot: missing rights, a standby, ... */
        record Unavailable(String reason) implements Outcome {
        }

        /** The database could not be reached at all. */
        record Unreachable(String reason) implements Outcome {
        }
    }

    private final ConnectionSettings settings;
    private final Runnable onChange;
    private final Logger log;
    private volatile boolean closed;
    private volatile Connection connection;
    private Thread thread;

    /**
     * @param settings where to listen (must be allowed to write when the triggers still need installing)
     * @param onChange called on the listener thread after DDL; must not throw
     */
    public DdlListener(ConnectionSettings settings, Runnable onChange, Logger log) {
        this.settings = settings;
        this.onChange = onChange;
        this.log = log;
    }

    /** Installs the triggers when needed and permitted, LISTENs, and starts the thread. */
    public synchronized Outcome start() {
        Connection c;
        try {
            c = DatabaseConnector.open(settings);
        } catch (SQLException e) {
            return new Outcome.Unreachable(FailureReason.describe(e, settings));
        }
        Optional<String> problem = PostgresEventTrigger.ensureInstalled(c, settings);
        if (problem.isPresent()) {
            DatabaseConnector.closeQuietly(c);
            return new Outcome.Unavailable(problem.get());
        }
        try {
            listen(c);
        } catch (SQLException e) {
            DatabaseConnector.closeQuietly(c);
            String reason = FailureReason.describe(e, settings);
            return FailureReason.isConnectivity(e) ? new Outcome.Unreachable(reason)
                    : new Outcome.Unavailable("LISTEN failed: " + reason);
        }
        connection = c;
        thread = new Thread(this::run, "vigil-schema-listener");
        thread.setDaemon(true);
        thread.start();
        return new Outcome.Active();
    }

    /** Whether the listener thread is alive (it may be reconnecting). */
    public synchronized boolean isRunning() {
        return thread != null && thread.isAlive() && !closed;
    }

    private static void listen(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + PostgresEventTrigger.CHANNEL);
        }
    }

    private void run() {
        long firstAt = 0;
        long lastAt = 0;
        Duration backoff = Duration.ofSeconds(1);
        boolean announcedBreak = false;
        // a change made between the caller's snapshot and LISTEN would otherwise wait for the next poll
        notifyChange();
        while (!closed) {
            try {
                Connection c = connection;
                if (c == null) {
                    c = DatabaseConnector.open(settings);
                    listen(c);
                    connection = c;
                    if (closed) {
                        break;
                    }
                    log.info("schema change listener for {} reconnected", settings.url().display());
                    announcedBreak = false;
                    backoff = Duration.ofSeconds(1);
                    notifyChange();
                }
                long now = System.nanoTime() / 1_000_000;
                long wait = firstAt == 0 ? IDLE_WAIT_MS
                        : Math.max(1, Math.min(lastAt + QUIET_MS, firstAt + MAX_DELAY_MS) - now);
                PGNotification[] received = c.unwrap(PGConnection.class).getNotifications((int) wait);
                now = System.nanoTime() / 1_000_000;
                if (received != null && received.length > 0) {
                    if (firstAt == 0) {
                        firstAt = now;
                    }
                    lastAt = now;
                }
                if (firstAt != 0 && (now >= lastAt + QUIET_MS || now >= firstAt + MAX_DELAY_MS)) {
                    firstAt = 0;
                    notifyChange();
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                DatabaseConnector.closeQuietly(connection);
                connection = null;
                if (!announcedBreak) {
                    log.warn("schema change listener for {} lost its connection ({}); reconnecting, polling "
                            + "continues meanwhile", settings.url().display(), FailureReason.describe(e, settings));
                    announcedBreak = true;
                }
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        DatabaseConnector.closeQuietly(connection);
        connection = null;
    }

    private void notifyChange() {
        if (closed) {
            return;
        }
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log.warn("snapshot after a schema change notification failed: {}", e.getMessage());
        }
    }

    /** Stops the thread and closes the connection; waits up to 5 s for the thread to end. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        DatabaseConnector.closeQuietly(connection);
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
