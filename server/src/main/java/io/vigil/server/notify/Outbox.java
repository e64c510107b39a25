package io.vigil.server.notify;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * The transactional outbox: a notification is a row of {@code notifications}, written in the
 * transaction of the alert change that causes it, so it exists if and only if the change committed.
 * The dispatcher sends it afterwards. The same transaction issues {@code NOTIFY vigil_outbox}
 * (delivered by PostgreSQL at commit, to every replica) and registers an after-commit hook: while
 * this server's dispatcher runs, the row is written already claimed by it and handed to a worker
 * in memory after the commit ({@link DispatchSignal}); otherwise a worker is woken to claim it.
 */
@Singleton
public class Outbox {

    /** The PostgreSQL channel replicas LISTEN on. */
    public static final String PG_CHANNEL = "vigil_outbox";

    private final TransactionOperations<Connection> transactions;
    private final ChannelCatalog channels;
    private final DispatchSignal signal;
    private final JsonMapper json;
    private final Duration lease;

    Outbox(TransactionOperations<Connection> transactions, ChannelCatalog channels, DispatchSignal signal,
           JsonMapper json, @Value("${vigil.notify.http-timeout:10s}") Duration httpTimeout) {
        this.transactions = transactions;
        this.channels = channels;
        this.signal = signal;
        this.json = json;
        this.lease = Dispatcher.lease(httpTimeout);
    }

    /**
     * Writes a notification for {@code channel}, in the caller's transaction.
     *
     * @param groupId the notification group it comes from, if any
     * @return the notification's id
     */
    public long enqueue(Connection c, String channel, NotificationMessage message, @Nullable Long groupId, Instant now)
            throws SQLException {
        Channel ch = channels.find(channel);
        var status = transactions.findTransactionStatus();
        boolean handOff = status.isPresent() && signal.acceptsHandOff();
        long id;
        // NOTIFY with the insert, in one round trip; identical notifications of one transaction are sent once
        try (PreparedStatement st = c.prepareStatement("""
                WITH n AS (
                    INSERT INTO notifications (created_at, channel, channel_type, kind, alert_ids, group_id, title, payload,
                                               state, attempts, next_attempt_at, lease_until)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) RETURNING id)
                SELECT id, pg_notify('""" + PG_CHANNEL + "', '') FROM n")) {
            st.setTimestamp(1, Timestamp.from(now));
            st.setString(2, channel);
            st.setString(3, ch == null ? "unknown" : ch.type());
            st.setString(4, message.kind());
            st.setArray(5, c.createArrayOf("bigint", message.alerts().stream().map(NotificationMessage.Item::id).toArray()));
            if (groupId == null) {
                st.setNull(6, java.sql.Types.BIGINT);
            } else {
                st.setLong(6, groupId);
            }
            st.setString(7, message.title());
            st.setString(8, write(message));
            st.setString(9, handOff ? "sending" : "pending");
            st.setInt(10, handOff ? 1 : 0);
            st.setTimestamp(11, Timestamp.from(now));
            st.setTimestamp(12, handOff ? Timestamp.from(now.plus(lease)) : null);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        if (status.isPresent()) {
            long notificationId = id;
            status.get().registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    if (handOff) {
                        signal.handOff(new DispatchSignal.Handed(notificationId, channel, message));
                    } else {
                        signal.wake();
                    }
                }
            });
        } else {
            signal.wake();
        }
        return id;
    }

    private String write(NotificationMessage m) {
        try {
            return json.writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
