package io.vigil.agent.spool;

import io.vigil.agent.storage.SqliteDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable buffer between monitors and the server. Every event and metric sample is
 * committed here before {@code emit} returns, and leaves only when the server acknowledged the
 * batch that carried it: at-least-once delivery, made exactly-once in effect by the server
 * ignoring ids it already has.
 *
 * <p>Bounded by bytes. When an item would exceed the bound, the oldest metric samples go first;
 * events are dropped (oldest first) only when no metric sample is left to drop. Every drop is
 * counted and logged, never silent.
 *
 * <p>Thread-safe: one SQLite connection, used under this object's lock.
 */
public final class Spool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final int DROP_CHUNK = 500;

    private final Connection connection;
    private final long maxBytes;
    private long bytes;
    private long depth;
    private final AtomicLong droppedEvents = new AtomicLong();
    private final AtomicLong droppedMetrics = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final boolean recoveredFromDamage;

    private Spool(Connection connection, long maxBytes, boolean recoveredFromDamage) throws SQLException {
        this.connection = connection;
        this.maxBytes = maxBytes;
        this.recoveredFromDamage = recoveredFromDamage;
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS items (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                    + "kind INTEGER NOT NULL, payload BLOB NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS dead_letter (seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, "
                    + "payload BLOB NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL)");
            try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(length(payload)), 0) FROM items")) {
                rs.next();
                depth = rs.getLong(1);
                bytes = rs.getLong(2);
            }
        }
    }

    /** Opens (creating) the spool at {@code file}, bounded to {@code maxBytes} of payload. */
    public static Spool open(Path file, long maxBytes) throws IOException {
        try {
            SqliteDatabase.Opened opened = SqliteDatabase.open(file);
            return new Spool(opened.connection(), maxBytes, opened.wasReplaced());
        } catch (SQLException e) {
            throw new IOException("cannot open spool " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Commits one item. Returns once it is durable; applies the overflow policy first when the
     * spool is full.
     *
     * @return false when the item itself was dropped by the overflow policy
     */
    public synchronized boolean append(ItemKind kind, byte[] payload) {
        try {
            if (bytes + payload.length > maxBytes && !makeRoom(kind, payload.length)) {
                return false;
            }
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO items (kind, payload) VALUES (?, ?)")) {
                ps.setInt(1, kind.code);
                ps.setBytes(2, payload);
                ps.executeUpdate();
            }
            bytes += payload.length;
            depth++;
            notifyAll();
            return true;
        } catch (SQLException e) {
            throw new SpoolException("cannot write to the spool: " + e.getMessage(), e);
        }
    }

    private boolean makeRoom(ItemKind incoming, int needed) throws SQLException {
        while (bytes + needed > maxBytes && dropOldest(ItemKind.METRIC, bytes + needed - maxBytes) > 0) {
            // keep dropping metric samples: they are the cheaper loss
        }
        if (bytes + needed <= maxBytes) {
            return true;
        }
        if (incoming == ItemKind.METRIC) {
            droppedMetrics.incrementAndGet();
            LOG.warn("spool full ({} bytes, bound {}): dropped a new metric sample", bytes, maxBytes);
            return false;
        }
        while (bytes + needed > maxBytes && dropOldest(ItemKind.EVENT, bytes + needed - maxBytes) > 0) {
            // only events are left: the oldest give way to the newest
        }
        return bytes + needed <= maxBytes || depth == 0;
    }

    /** Drops the oldest items of a kind until at least {@code toFree} bytes are freed (or none is left). */
    private int dropOldest(ItemKind kind, long toFree) throws SQLException {
        long freed = 0;
        int count = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, length(payload) FROM items WHERE kind = ? ORDER BY seq LIMIT ?")) {
            select.setInt(1, kind.code);
            select.setInt(2, DROP_CHUNK);
            long lastSeq = -1;
            try (ResultSet rs = select.executeQuery()) {
                while (freed < toFree && rs.next()) {
                    lastSeq = rs.getLong(1);
                    freed += rs.getLong(2);
                    count++;
                }
            }
            if (count == 0) {
                return 0;
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM items WHERE kind = ? AND seq <= ?")) {
                delete.setInt(1, kind.code);
                delete.setLong(2, lastSeq);
                delete.executeUpdate();
            }
        }
        bytes -= freed;
        depth -= count;
        (kind == ItemKind.EVENT ? droppedEvents : droppedMetrics).addAndGet(count);
        LOG.warn("spool full (bound {} bytes): dropped the {} oldest {}", maxBytes, count,
                kind == ItemKind.EVENT ? "events" : "metric samples");
        return count;
    }

    /**
     * The oldest items, up to {@code maxItems} and about {@code maxBytes} (at least one item, even
     * a larger one), waiting up to {@code wait} for the first item to arrive.
     */
    public synchronized SpoolBatch next(int maxItems, long maxBytesPerBatch, Duration wait) throws InterruptedException {
        if (!awaitUntil(() -> depth > 0, wait)) {
            return new SpoolBatch(-1, List.of(), List.of(), 0);
        }
        List<byte[]> events = new ArrayList<>();
        List<byte[]> metrics = new ArrayList<>();
        long size = 0;
        long lastSeq = -1;
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT seq, kind, payload FROM items ORDER BY seq LIMIT ?")) {
            ps.setInt(1, maxItems);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] payload = rs.getBytes(3);
                    if (lastSeq >= 0 && size + payload.length > maxBytesPerBatch) {
                        break;
                    }
                    lastSeq = rs.getLong(1);
                    (ItemKind.of(rs.getInt(2)) == ItemKind.EVENT ? events : metrics).add(payload);
                    size += payload.length;
                }
            }
        } catch (SQLException e) {
            throw new SpoolException("cannot read the spool: " + e.getMessage(), e);
        }
        return new SpoolBatch(lastSeq, events, metrics, size);
    }

    /** Waits until the spool holds at least {@code items} items or {@code wait} has passed. */
    public synchronized void awaitDepth(long items, Duration wait) throws InterruptedException {
        awaitUntil(() -> depth >= items, wait);
    }

    /** Waits until every item has been shipped or {@code wait} has passed. */
    public synchronized void awaitEmpty(Duration wait) throws InterruptedException {
        awaitUntil(() -> depth <= 0, wait);
    }

    /**
     * Waits on this spool's monitor (every change calls notifyAll) until {@code condition} holds or
     * {@code wait} has passed. Caller holds the lock.
     *
     * @return whether the condition holds
     */
    private boolean awaitUntil(java.util.function.BooleanSupplier condition, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Removes a batch the server has stored. */
    public synchronized void acknowledge(SpoolBatch batch) {
        remove(batch, null);
    }

    /**
     * Moves a batch the server refused as invalid (HTTP 400) to the dead-letter table, where it is
     * kept for inspection instead of blocking every later item.
     */
    public synchronized void deadLetter(SpoolBatch batch, String reason) {
        remove(batch, reason);
        deadLettered.addAndGet(batch.size());
    }

    private void remove(SpoolBatch batch, String deadLetterReason) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            connection.setAutoCommit(false);
            try {
                if (deadLetterReason != null) {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "INSERT INTO dead_letter (seq, kind, payload, reason, at) "
                                    + "SELECT seq, kind, payload, ?, ? FROM items WHERE seq <= ?")) {
                        ps.setString(1, deadLetterReason);
                        ps.setLong(2, System.currentTimeMillis());
                        ps.setLong(3, batch.lastSeq());
                        ps.executeUpdate();
                    }
                }
                long removedBytes;
                long removed;
                try (PreparedStatement ps = connection.prepareStatement(
                        "SELECT count(*), coalesce(sum(length(payload)), 0) FROM items WHERE seq <= ?")) {
                    ps.setLong(1, batch.lastSeq());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        removed = rs.getLong(1);
                        removedBytes = rs.getLong(2);
                    }
                }
                try (PreparedStatement ps = connection.prepareStatement("DELETE FROM items WHERE seq <= ?")) {
                    ps.setLong(1, batch.lastSeq());
                    ps.executeUpdate();
                }
                connection.commit();
                depth -= removed;
                bytes -= removedBytes;
                notifyAll();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new SpoolException("cannot remove shipped items from the spool: " + e.getMessage(), e);
        }
    }

    /** Items waiting to be shipped. */
    public synchronized long depth() {
        return depth;
    }

    /** Bytes of payload waiting to be shipped. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Events dropped by the overflow policy since start. */
    public long droppedEvents() {
        return droppedEvents.get();
    }

    /** Metric samples dropped by the overflow policy since start. */
    public long droppedMetrics() {
        return droppedMetrics.get();
    }

    /** Items moved to the dead-letter table since start. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Whether a damaged spool file was moved aside at open (its items are in the moved file). */
    public boolean recoveredFromDamage() {
        return recoveredFromDamage;
    }

    @Override
    public synchronized void close() throws SQLException {
        notifyAll();
        connection.close();
    }
}
