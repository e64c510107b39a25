package io.vigil.plugin.dbperf;

import io.vigil.dbconnect.testing.Databases;
import io.vigil.dbconnect.testing.ScratchDatabase;
import static io.vigil.plugin.dbperf.MonitorRun.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The dbperf monitor against a real MariaDB, in a database of its own. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MariaDbDbPerfTest {

    @RegisterExtension
    static final ScratchDatabase SCRATCH = ScratchDatabase.mariadb("vigil_dbperf",
            "CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL) ENGINE=InnoDB",
            "INSERT INTO accounts VALUES (1, 100), (2, 100)");
    private static final String DB = SCRATCH.name();
    private static final String SERVER = "mariadb://" + Databases.MARIADB_HOST;
    private static final String SUBJECT = SERVER + "/" + DB;
    private static final Map<String, String> OF_DB = Map.of("database", DB);
    /**
     * InnoDB refreshes its information_schema.INNODB_TRX cache only when nobody has read it for
     * 100 ms: a reader polling faster would see it frozen.
     */
    private static final long INNODB_TRX_REFRESH_MS = 150;

    private static MonitorRun monitor(Object... options) {
        Map<String, Object> all = new HashMap<>(Map.of("url", Databases.mariadbUrl(DB), "user", "root", "password", "",
                "include_databases", List.of(DB), "size_interval", "0s"));
        for (int i = 0; i < options.length; i += 2) {
            all.put((String) options[i], options[i + 1]);
        }
        return new MonitorRun(all);
    }

    @Test
    void reportsTheDatabaseSessionsByStateLeavingItsOwnSessionOut() throws Exception {
        try (MonitorRun run = monitor();
             Connection idle1 = Databases.mariadb(DB); Connection idle2 = Databases.mariadb(DB);
             Connection inTransaction = Databases.mariadb(DB)) {
            inTransaction.setAutoCommit(false);
            Databases.exec(inTransaction, "SELECT balance FROM accounts WHERE id = 1 FOR UPDATE");
            Thread.sleep(INNODB_TRX_REFRESH_MS);

            assertEquals(List.of(), run.poll());

            assertEquals(0.0, run.value("dbperf.connections", Map.of("database", DB, "state", "active")));
            assertEquals(2.0, run.value("dbperf.connections", Map.of("database", DB, "state", "idle")));
            assertEquals(1.0, run.value("dbperf.connections", Map.of("database", DB, "state", "idle_in_transaction")));
            // the server's own setting, whatever this machine configured
            double configured;
            try (Connection c = SCRATCH.connect()) {
                configured = Databases.queryLong(c, "SELECT @@max_connections");
            }
            assertEquals(configured, run.value("dbperf.connections.max", Map.of("server", SERVER)), "max_connections");
            assertEquals(1.0, run.value("dbperf.up", Map.of("server", SERVER)));
            inTransaction.rollback();
        }
    }

    @Test
    void aRealDeadlockIsCountedForTheServerAndRaisesOneMediumEvent() throws Exception {
        try (MonitorRun run = monitor()) {
            assertEquals(List.of(), run.poll());

            provokeDeadlock();

            Event exceeded = only(run.poll());
            assertEquals(1.0, run.value("dbperf.deadlocks", Map.of("server", SERVER)));
            assertEquals("dbperf.deadlocks.exceeded", exceeded.type());
            assertEquals(Severity.MEDIUM, exceeded.severity());
            assertEquals(SERVER, exceeded.subject(), "MariaDB counts deadlocks per server");
            assertEquals(1.0, exceeded.attributes().get("value"));

            Event recovered = only(run.poll());
            assertEquals("dbperf.deadlocks.recovered", recovered.type());
            assertEquals(exceeded.fingerprint(), recovered.fingerprint());
        }
    }

    @Test
    void aTransactionHeldPastTheLimitRaisesOneEventAndRecoversWhenItEnds() throws Exception {
        try (MonitorRun run = monitor("transaction_age_max", "1s"); Connection holder = Databases.mariadb(DB)) {
            holder.setAutoCommit(false);
            Databases.exec(holder, "UPDATE accounts SET balance = balance WHERE id = 2");
            Thread.sleep(2100); // INNODB_TRX keeps the start to the second

            Event exceeded = only(run.poll());
            double age = run.value("dbperf.transaction.longest", OF_DB);
            assertTrue(age > 1 && age < 30, "age " + age);
            assertEquals("dbperf.transaction_age.exceeded", exceeded.type());
            assertEquals(Severity.MEDIUM, exceeded.severity());
            assertEquals(SUBJECT, exceeded.subject());
            assertEquals(1L, exceeded.attributes().get("idle_in_transaction"));
            assertEquals(List.of(), run.poll());

            holder.commit();
            Thread.sleep(INNODB_TRX_REFRESH_MS);
            Event recovered = only(run.poll());
            assertEquals("dbperf.transaction_age.recovered", recovered.type());
            assertEquals(exceeded.fingerprint(), recovered.fingerprint());
        }
    }

    @Test
    void aSessionWaitingForARowLockIsCountedWithItsWaitTime() throws Exception {
        try (MonitorRun run = monitor(); Connection holder = Databases.mariadb(DB);
             Connection waiter = Databases.mariadb(DB)) {
            holder.setAutoCommit(false);
            Databases.exec(holder, "UPDATE accounts SET balance = balance + 1 WHERE id = 1");
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try {
                    Databases.exec(waiter, "UPDATE accounts SET balance = balance - 1 WHERE id = 1");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Databases.await("the second update to wait", Duration.ofSeconds(5), () -> waitingIn(DB) == 1);
            Thread.sleep(200);

            assertEquals(List.of(), run.poll());
            assertEquals(1.0, run.value("dbperf.locks.waiting", OF_DB));
            assertEquals(1.0, run.value("dbperf.connections", Map.of("database", DB, "state", "active")));
            double waited = run.value("dbperf.locks.longest_wait", OF_DB);
            assertTrue(waited >= 0.2 && waited < 30, "waited " + waited);
            assertTrue(run.value("dbperf.query.longest", OF_DB) >= 0.2);

            holder.commit();
            blocked.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void reportsServerRatesSizesAndItsOwnCollectionTime() throws Exception {
        try (MonitorRun run = monitor(); Connection c = Databases.mariadb(DB)) {
            run.poll();
            assertEquals(List.of(), run.values("dbperf.transactions.rate", Map.of()), "first poll: baseline only");
            run.poll();
            assertTrue(run.value("dbperf.transactions.rate", Map.of("server", SERVER)) >= 0);
            assertTrue(run.value("dbperf.queries.rate", Map.of("server", SERVER)) > 0, "the monitor's own queries count");
            assertEquals(1, run.values("dbperf.temp.disk_tables_rate", Map.of("server", SERVER)).size());
            long size = Databases.queryLong(c, "SELECT SUM(DATA_LENGTH + INDEX_LENGTH) FROM information_schema.TABLES "
                    + "WHERE TABLE_SCHEMA = '" + DB + "'");
            assertEquals((double) size, run.value("dbperf.size", OF_DB));
            double collection = run.value("dbperf.collection.duration", Map.of("server", SERVER));
            assertTrue(collection > run.value("dbperf.probe.latency", Map.of()) && collection < 5, "" + collection);
            assertFalse(run.samples().stream().anyMatch(s -> s.labels().containsKey("database")
                    && !s.labels().get("database").equals(DB)), "only the selected database");
        }
    }

    private static long waitingIn(String db) {
        try (Connection c = Databases.mariadb("")) {
            return Databases.queryLong(c, "SELECT count(*) FROM information_schema.INNODB_TRX t JOIN "
                    + "information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE p.DB = '" + db
                    + "' AND t.trx_state = 'LOCK WAIT'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two transactions locking two rows in opposite orders: InnoDB rolls one back with 40001 (1213). */
    private static void provokeDeadlock() throws Exception {
        Deadlocks.provoke(SCRATCH::connect, () -> waitingIn(DB) == 1, "40001");
    }
}
