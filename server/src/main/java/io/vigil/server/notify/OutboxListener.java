package io.vigil.server.notify;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * LISTENs on {@value Outbox#PG_CHANNEL} over a connection of its own (outside the pool, which
 * must not hold a session open) and wakes the local dispatcher whenever any replica commits
 * notifications. Reconnects with backoff; while it is down the dispatcher still polls.
 */
@Singleton
@Requires(property = "vigil.alerting.enabled", notEquals = "false")
class OutboxListener {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxListener.class);

    private final DispatchSignal signal;
    private final String url;
    private final @Nullable String user;
    private final @Nullable String password;
    private volatile boolean running;
    private volatile @Nullable Connection connection;
    private @Nullable Thread thread;

    OutboxListener(DispatchSignal signal, @Value("${datasources.default.url}") String url,
                   @Nullable @Value("${datasources.default.username:}") String user,
                   @Nullable @Value("${datasources.default.password:}") String password) {
        this.signal = signal;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @EventListener
    synchronized void start(StartupEvent event) {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::listen, "vigil-outbox-listen");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops as soon as the server begins to shut down, before the pool and the database go. */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        closeConnection();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void listen() {
        long backoff = 1000;
        boolean wasDown = false;
        while (running) {
            try {
                Properties p = new Properties();
                if (user != null && !user.isEmpty()) {
                    p.setProperty("user", user);
                }
                if (password != null && !password.isEmpty()) {
                    p.setProperty("password", password);
                }
                p.setProperty("ApplicationName", "vigil-outbox-listen");
                Connection c = DriverManager.getConnection(url, p);
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + Outbox.PG_CHANNEL);
                }
                if (wasDown) {
                    LOG.info("listening for outbox notifications again");
                    wasDown = false;
                }
                backoff = 1000;
                signal.wake(); // something may have been committed while not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] got = pg.getNotifications(1000);
                    if (got != null && got.length > 0) {
                        signal.wake();
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                if (!wasDown) {
                    LOG.warn("not listening for outbox notifications ({}); polling until reconnected",
                            e.getClass().getSimpleName());
                    wasDown = true;
                }
            } finally {
                closeConnection();
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(30_000, backoff * 2);
        }
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing after a failure
            }
        }
    }
}
