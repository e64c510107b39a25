package io.vigil.agent.errorlog;

import io.vigil.agent.storage.SqliteDatabase;
import io.vigil.errorgroup.ErrorFingerprint;
import io.vigil.errorgroup.ErrorText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's own errors, aggregated until the server has them: one row per fingerprint
 * ({@link ErrorFingerprint}, the server's grouping) and UTC hour, with a count and the first and
 * last time. A plugin throwing every second for a day is 24 rows, not 86,400. Kept in SQLite
 * ({@code errors.db} in the state directory, opened like the spool) so a restart loses nothing;
 * rows leave only when the server answered 2xx ({@link #acknowledge}).
 *
 * <p>Bounded: at most {@value #MAX_ROWS} rows. When full, occurrences of errors already in the
 * book are still counted; a new error is dropped, counted in {@link #dropped()} and logged once.
 */
public final class ErrorBook implements ErrorSink, AutoCloseable {

    static final int MAX_ROWS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(ErrorBook.class);
    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    private final Connection connection;
    private final Clock clock;
    private final int maxRows;
    private final AtomicLong dropped = new AtomicLong();

    private ErrorBook(Connection connection, Clock clock, int maxRows) {
        this.connection = connection;
        this.clock = clock;
        this.maxRows = maxRows;
    }

    /** Opens (creating) the book at {@code file}. */
    public static ErrorBook open(Path file, Clock clock) throws IOException {
        return open(file, clock, MAX_ROWS);
    }

    static ErrorBook open(Path file, Clock clock, int maxRows) throws IOException {
        try {
            SqliteDatabase.Opened opened = SqliteDatabase.open(file);
            if (opened.wasReplaced()) {
                LOG.error("the error book {} was damaged and replaced; the errors it held were not shipped", file);
            }
            try (Statement st = opened.connection().createStatement()) {
                st.execute("""
                        CREATE TABLE IF NOT EXISTS error_reports (
                            fingerprint TEXT NOT NULL, hour INTEGER NOT NULL, component TEXT NOT NULL,
                            severity INTEGER NOT NULL, message TEXT NOT NULL, exception_type TEXT, stack TEXT,
                            first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, count INTEGER NOT NULL,
                            PRIMARY KEY (fingerprint, hour)) WITHOUT ROWID""");
            }
            return new ErrorBook(opened.connection(), clock, maxRows);
        } catch (SQLException e) {
            throw new IOException("cannot open the error book " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * One aggregated row, as it is shipped.
     *
     * @param hour  start of its UTC hour, epoch milliseconds (part of the key)
     * @param count occurrences; {@link #acknowledge} subtracts exactly this many
     */
    public record Pending(String fingerprint, long hour, String component, Level level, String message,
                          String exceptionType, String stack, Instant firstSeen, Instant lastSeen, long count) {

        /** The severity's wire name: {@code warn}, {@code error}, {@code critical}. */
        public String severity() {
            return level.name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public synchronized void record(String component, Level level, String message, Throwable error) {
        Instant now = clock.instant();
        String type = error == null ? null : error.getClass().getName();
        String stack = error == null ? null : ErrorText.stackOf(error);
        String text = ErrorText.message(message == null || message.isBlank() ? String.valueOf(type) : message);
        String fingerprint = ErrorFingerprint.of(component, type, stack, text);
        long hour = Math.floorDiv(now.toEpochMilli(), HOUR_MILLIS) * HOUR_MILLIS;
        try {
            try (PreparedStatement st = connection.prepareStatement("""
                    UPDATE error_reports SET count = count + 1, last_seen = max(last_seen, ?),
                           severity = max(severity, ?), message = ?, stack = coalesce(?, stack), component = ?
                     WHERE fingerprint = ? AND hour = ?""")) {
                st.setLong(1, now.toEpochMilli());
                st.setInt(2, level.ordinal());
                st.setString(3, text);
                st.setString(4, stack);
                st.setString(5, component);
                st.setString(6, fingerprint);
                st.setLong(7, hour);
                if (st.executeUpdate() > 0) {
                    return;
                }
            }
            if (rows() >= maxRows) {
                if (dropped.getAndIncrement() == 0) {
                    LOG.warn("the error book holds {} errors not yet shipped; new errors are dropped (counted) "
                            + "until the server takes them", maxRows);
                }
                return;
            }
            try (PreparedStatement st = connection.prepareStatement("""
                    INSERT INTO error_reports (fingerprint, hour, component, severity, message, exception_type, stack,
                                               first_seen, last_seen, count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)""")) {
                st.setString(1, fingerprint);
                st.setLong(2, hour);
                st.setString(3, component);
                st.setInt(4, level.ordinal());
                st.setString(5, text);
                st.setString(6, type);
                st.setString(7, stack);
                st.setLong(8, now.toEpochMilli());
                st.setLong(9, now.toEpochMilli());
                st.executeUpdate();
            }
        } catch (SQLException | RuntimeException e) {
            // the caller is handling a failure already: say so, never throw at it
            dropped.incrementAndGet();
            LOG.warn("cannot record an error of {} in the error book: {}", component, e.getMessage());
        }
    }

    /** Up to {@code max} rows, oldest hour first. */
    public synchronized List<Pending> pending(int max) {
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT fingerprint, hour, component, severity, message, exception_type, stack, first_seen, last_seen, count
                  FROM error_reports ORDER BY hour, fingerprint LIMIT ?""")) {
            st.setInt(1, max);
            List<Pending> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getString(1), rs.getLong(2), rs.getString(3), Level.values()[rs.getInt(4)],
                            rs.getString(5), rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)),
                            Instant.ofEpochMilli(rs.getLong(9)), rs.getLong(10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the error book: " + e.getMessage(), e);
        }
    }

    /**
     * Takes shipped rows out: their shipped counts are subtracted, and a row whose count reaches 0
     * is deleted. Occurrences recorded since {@link #pending} stay for the next shipment.
     */
    public synchronized void acknowledge(List<Pending> shipped) {
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement st = connection.prepareStatement(
                    "UPDATE error_reports SET count = count - ? WHERE fingerprint = ? AND hour = ?")) {
                for (Pending p : shipped) {
                    st.setLong(1, p.count());
                    st.setString(2, p.fingerprint());
                    st.setLong(3, p.hour());
                    st.addBatch();
                }
                st.executeBatch();
            }
            try (Statement st = connection.createStatement()) {
                st.executeUpdate("DELETE FROM error_reports WHERE count <= 0");
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is the one to report
            }
            throw new IllegalStateException("cannot update the error book: " + e.getMessage(), e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is unusable; the next call reports it
            }
        }
    }

    /** Rows waiting to be shipped. */
    public synchronized long rows() {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM error_reports")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the error book: " + e.getMessage(), e);
        }
    }

    /** Errors not recorded since the start: the book was full, or could not be written. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
