package io.vigil.server.retention;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import io.vigil.server.database.ConnectionPool;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the day partitions of every {@link RetainedTable}: creates them from yesterday to
 * {@code vigil.partitions.days-ahead} days ahead, drops those entirely older than the table's
 * retention, and deletes expired rows from the DEFAULT partition. Runs at start-up (before the
 * server takes requests) and every {@code vigil.partitions.check-interval}.
 *
 * <p>Safe with several replicas: a run first takes a PostgreSQL session advisory lock with
 * {@code pg_try_advisory_lock}; a replica that does not get it skips the run, since another one is
 * doing the same work. Each DDL statement is its own transaction and waits at most
 * {@code vigil.partitions.lock-timeout} for its table lock, so a long query delays maintenance,
 * never ingest; a step that times out is retried at the next run.
 */
@Singleton
public class PartitionMaintenance {

    /** The advisory lock key: "vigilprt" in ASCII. */
    static final long LOCK_KEY = 0x76_69_67_69_6c_70_72_74L;

    private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintenance.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final ConnectionPool pool;
    private final List<RetainedTable> tables;
    private final PartitionSettings settings;
    private final MeterRegistry meters;

    PartitionMaintenance(ConnectionPool pool, List<RetainedTable> tables, PartitionSettings settings,
                         MeterRegistry meters) {
        this.pool = pool;
        this.tables = List.copyOf(tables);
        this.settings = settings;
        this.meters = meters;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        scheduled();
    }

    @Scheduled(fixedDelay = "${vigil.partitions.check-interval:1h}",
            initialDelay = "${vigil.partitions.check-interval:1h}")
    void scheduled() {
        try {
            run(Instant.now());
        } catch (RuntimeException e) {
            meters.counter("vigil.partitions.failures").increment();
            LOG.error("partition maintenance failed; it is retried in {}: {}", settings.getCheckInterval(),
                    e.getMessage(), e);
        }
    }

    /**
     * One maintenance run as of {@code now}.
     *
     * @return what was done; {@link Report#skipped()} when another replica holds the lock
     */
    public Report run(Instant now) {
        return pool.with(c -> {
            if (!lock(c)) {
                LOG.debug("partition maintenance skipped: another server holds the lock");
                return new Report(true, List.of(), List.of(), 0, 0);
            }
            try (Statement st = c.createStatement()) {
                st.execute("SET lock_timeout = " + Math.max(1, settings.getLockTimeout().toMillis()));
            }
            List<String> created = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            long deleted = 0;
            int failures = 0;
            try {
                for (RetainedTable table : tables) {
                    failures += createAhead(c, table, now, created);
                    failures += dropExpired(c, table, now, dropped);
                    try {
                        deleted += deleteExpiredDefaultRows(c, table, now);
                    } catch (SQLException e) {
                        failures++;
                        LOG.warn("could not delete expired rows of {}_default: {}", table.table(), e.getMessage());
                    }
                }
            } finally {
                try (Statement st = c.createStatement()) {
                    st.execute("RESET lock_timeout");
                }
                unlock(c);
            }
            meters.counter("vigil.partitions.created").increment(created.size());
            meters.counter("vigil.partitions.dropped").increment(dropped.size());
            meters.counter("vigil.partitions.failures").increment(failures);
            if (!created.isEmpty() || !dropped.isEmpty() || deleted > 0) {
                LOG.atInfo().addKeyValue("created", created).addKeyValue("dropped", dropped)
                        .addKeyValue("deleted_default_rows", deleted)
                        .setMessage("partitions: created {}, dropped {}, {} expired rows deleted from DEFAULT partitions")
                        .addArgument(created).addArgument(dropped).addArgument(deleted).log();
            }
            return new Report(false, created, dropped, deleted, failures);
        });
    }

    private int createAhead(Connection c, RetainedTable table, Instant now, List<String> created) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        int failures = 0;
        for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(settings.getDaysAhead()));
             day = day.plusDays(1)) {
            try (PreparedStatement st = c.prepareStatement("SELECT vigil_create_day_partition(?, ?)")) {
                st.setString(1, table.table());
                st.setObject(2, day);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        created.add(partitionName(table, day));
                    }
                }
            } catch (SQLException e) {
                failures++;
                LOG.warn("could not create partition {}: {}", partitionName(table, day), e.getMessage());
            }
        }
        return failures;
    }

    private int dropExpired(Connection c, RetainedTable table, Instant now, List<String> dropped) throws SQLException {
        Instant cutoff = now.minus(table.retention());
        Pattern name = Pattern.compile(Pattern.quote(table.table()) + "_p(\\d{8})");
        int failures = 0;
        for (String partition : partitions(c, table)) {
            Matcher m = name.matcher(partition);
            if (!m.matches()) {
                continue; // the DEFAULT partition, or one this server did not make: not ours to drop
            }
            LocalDate day = LocalDate.parse(m.group(1), DAY);
            Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (end.isAfter(cutoff)) {
                continue;
            }
            try (Statement st = c.createStatement()) {
                // the name matched [a-z_]+_p\d{8} built from a checked table name: safe to splice
                st.execute("DROP TABLE " + partition);
                dropped.add(partition);
            } catch (SQLException e) {
                failures++;
                LOG.warn("could not drop expired partition {}: {}", partition, e.getMessage());
            }
        }
        return failures;
    }

    private static long deleteExpiredDefaultRows(Connection c, RetainedTable table, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table.table() + "_default WHERE time < ?")) {
            st.setObject(1, java.time.OffsetDateTime.ofInstant(now.minus(table.retention()), ZoneOffset.UTC));
            return st.executeUpdate();
        }
    }

    /** The partitions of {@code table}, by name. */
    static List<String> partitions(Connection c, RetainedTable table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
                 WHERE i.inhparent = to_regclass(?) ORDER BY p.relname""")) {
            st.setString(1, table.table());
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    static String partitionName(RetainedTable table, LocalDate day) {
        return table.table() + "_p" + DAY.format(day);
    }

    private static boolean lock(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            st.setLong(1, LOCK_KEY);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            st.setLong(1, LOCK_KEY);
            st.execute();
        }
    }

    /**
     * What one run did.
     *
     * @param skipped            another replica held the lock; nothing was done
     * @param created            partitions created
     * @param dropped            partitions dropped
     * @param deletedDefaultRows expired rows deleted from DEFAULT partitions
     * @param failures           steps that failed (logged; retried at the next run)
     */
    public record Report(boolean skipped, List<String> created, List<String> dropped, long deletedDefaultRows,
                         int failures) {
    }
}
