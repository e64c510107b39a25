package io.vigil.server.errorlog;

import io.vigil.server.database.Sql;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * Purges the error log every {@code vigil.errors.retention.check-interval}:
 * <ul>
 *   <li>resolved groups whose {@code resolved_at} is older than {@code vigil.errors.retention.resolved}
 *       (default 30 days), with their hour rows and activity (ON DELETE CASCADE); open groups are kept
 *       whatever their age;</li>
 *   <li>hour rows older than {@code vigil.errors.retention.hourly} (default 30 days), of every group:
 *       an old open group keeps its row and total count, only its hour-by-hour history ends.</li>
 * </ul>
 * Safe with several replicas: a run takes the transaction-level advisory lock {@link #LOCK_KEY}
 * ({@code pg_try_advisory_xact_lock}); a replica that does not get it skips the run, as
 * {@link io.vigil.server.retention.PartitionMaintenance} does for partitions.
 */
@Singleton
class ErrorRetention {

    /** The advisory lock key: "vigilerr" in ASCII. */
    static final long LOCK_KEY = 0x76_69_67_69_6c_65_72_72L;

    private static final Logger LOG = LoggerFactory.getLogger(ErrorRetention.class);

    private final TransactionOperations<Connection> transactions;
    private final ErrorLogSettings.Retention settings;
    private final Clock clock;

    ErrorRetention(TransactionOperations<Connection> transactions, ErrorLogSettings.Retention settings,
                   @Named("errorlog") Clock clock) {
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${vigil.errors.retention.check-interval:1h}", initialDelay = "1m")
    void scheduled() {
        try {
            purge(clock.instant());
        } catch (RuntimeException e) {
            LOG.error("error log purge failed; it is retried in {}: {}", settings.getCheckInterval(), e.getMessage(), e);
        }
    }

    /**
     * What one purge deleted.
     *
     * @param skipped another replica was purging
     */
    record Purged(boolean skipped, int groups, int hourRows) {
    }

    Purged purge(Instant now) {
        Purged purged = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            try {
                return purge(status.getConnection(), now);
            } catch (SQLException e) {
                throw new IllegalStateException("error log purge failed: " + e.getMessage(), e);
            }
        }));
        if (purged.groups() > 0 || purged.hourRows() > 0) {
            LOG.info("error log: purged {} resolved groups and {} hour rows", purged.groups(), purged.hourRows());
        }
        return purged;
    }

    private Purged purge(Connection c, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            st.setLong(1, LOCK_KEY);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return new Purged(true, 0, 0);
                }
            }
        }
        int groups;
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM error_groups WHERE status = 'resolved' AND resolved_at < ?")) {
            st.setObject(1, Sql.utc(now.minus(settings.getResolved())));
            groups = st.executeUpdate();
        }
        int hours;
        try (PreparedStatement st = c.prepareStatement("DELETE FROM error_hourly WHERE hour < ?")) {
            st.setObject(1, Sql.utc(now.minus(settings.getHourly())));
            hours = st.executeUpdate();
        }
        return new Purged(false, groups, hours);
    }
}
