package io.vigil.plugin.dbperf;

import io.vigil.dbconnect.testing.Databases;
import io.vigil.dbconnect.testing.ScratchDatabase;
import io.vigil.dbconnect.testing.TcpProxy;
import static io.vigil.plugin.dbperf.MonitorRun.only;
import static io.vigil.plugin.dbperf.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** The dbperf monitor against a real PostgreSQL, in a database of its own. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresDbPerfTest {

    @RegisterExtension
    static final ScratchDatabase SCRATCH = ScratchDatabase.postgres("vigil_dbperf",
            "CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)",
            "INSERT INTO accounts VALUES (1, 100), (2, 100)");
    private static final String DB = SCRATCH.name();
    private static final String SERVER = "postgresql://" + Databases.PG_HOST;
    private static final String SUBJECT = SERVER + "/" + DB;
    private static final Map<String, String> OF_DB = Map.of("database", DB);

    private static MonitorRun monitor(Object... options) {
        Map<String, Object> all = new HashMap<>(Map.of("url", Databases.postgresUrl(DB), "user", "postgres",
                "include_databases", List.of(DB), "size_interval", "0s"));
        for (int i = 0; i < options.length; i += 2) {
            all.put((String) options[i], options[i + 1]);
        }
        return new MonitorRun(all);
    }

    @Test
    void reportsTheDatabaseSessionsByStateLeavingItsOwnSessionOut() throws Exception {
        try (MonitorRun run = monitor();
             Connection idle1 = Databases.postgres(DB); Connection idle2 = Databases.postgres(DB);
             Connection inTransaction = Databases.postgres(DB)) {
            inTransaction.setAutoCommit(false);
            Databases.exec(inTransaction, "SELECT balance FROM accounts WHERE id = 1");

            assertEquals(List.of(), run.poll());

            assertEquals(0.0, run.value("dbperf.connections", Map.of("database", DB, "state", "active")));
            assertEquals(2.0, run.value("dbperf.connections", Map.of("database", DB, "state", "idle")));
            assertEquals(1.0, run.value("dbperf.connections", Map.of("database", DB, "state", "idle_in_transaction")));
            // the server's own setting, whatever this machine configured
            double configured;
            try (Connection c = SCRATCH.connect()) {
                configured = Databases.queryLong(c, "SHOW max_connections");
            }
            assertEquals(configured, run.value("dbperf.connections.max", Map.of("server", SERVER)), "max_connections");
            assertEquals(1.0, run.value("dbperf.up", Map.of("server", SERVER)));
            inTransaction.rollback();
        }
    }

    @Test
    void aRealDeadlockIsCountedInItsIntervalRaisesOneMediumEventAndRecoversNextInterval() throws Exception {
        try (MonitorRun run = monitor()) {
            assertEquals(List.of(), run.poll());
            long before = deadlocks();

            provokeDeadlock();
            Databases.await("pg_stat_database to count the deadlock", Duration.ofSeconds(15), () -> deadlocks() > before);

            Event exceeded = only(run.poll());
            assertEquals(1.0, run.value("dbperf.deadlocks", OF_DB));
            assertEquals("dbperf.deadlocks.exceeded", exceeded.type());
            assertEquals(Severity.MEDIUM, exceeded.severity());
            assertEquals(SUBJECT, exceeded.subject());
            assertEquals(1.0, exceeded.attributes().get("value"));
            assertEquals(0.0, exceeded.attributes().get("limit"));
            assertEquals("Deadlocks in the last interval on " + SUBJECT + " is 1 (limit 0)", exceeded.title());

            Event recovered = only(run.poll());
            assertEquals(0.0, run.value("dbperf.deadlocks", OF_DB));
            assertEquals("dbperf.deadlocks.recovered", recovered.type());
            assertEquals(Severity.INFO, recovered.severity());
            assertEquals(exceeded.fingerprint(), recovered.fingerprint());
            assertEquals(1.0, recovered.attributes().get("peak"));
        }
    }

    @Test
    void aTransactionHeldPastTheLimitRaisesOneEventAndRecoversWhenItEnds() throws Exception {
        try (MonitorRun run = monitor("transaction_age_max", "1s"); Connection holder = Databases.postgres(DB)) {
            holder.setAutoCommit(false);
            Databases.exec(holder, "UPDATE accounts SET balance = balance WHERE id = 2");
            Thread.sleep(1300);

            Event exceeded = only(run.poll());
            double age = run.value("dbperf.transaction.longest", OF_DB);
            assertTrue(age >= 1.3 && age < 30, "age " + age);
            assertEquals("dbperf.transaction_age.exceeded", exceeded.type());
            assertEquals(Severity.MEDIUM, exceeded.severity());
            assertEquals(SUBJECT, exceeded.subject());
            assertEquals(age, exceeded.attributes().get("value"));
            assertEquals(1.0, exceeded.attributes().get("limit"));
            assertEquals(1L, exceeded.attributes().get("idle_in_transaction"));

            assertEquals(List.of(), run.poll(), "still exceeded: nothing new");

            holder.commit();
            Event recovered = only(run.poll());
            assertEquals("dbperf.transaction_age.recovered", recovered.type());
            assertEquals(exceeded.fingerprint(), recovered.fingerprint());
            assertEquals(0.0, run.value("dbperf.transaction.longest", OF_DB));
        }
    }

    @Test
    void aPerDatabaseOverrideTurnsTheTransactionAgeCheckOffForThatDatabase() throws Exception {
        try (MonitorRun run = monitor("transaction_age_max", "1s", "overrides", Map.of(DB, "transaction_age_max=off"));
             Connection holder = Databases.postgres(DB)) {
            holder.setAutoCommit(false);
            Databases.exec(holder, "SELECT 1");
            Thread.sleep(1100);

            assertEquals(List.of(), run.poll());
            assertTrue(run.value("dbperf.transaction.longest", OF_DB) >= 1.1);
            holder.rollback();
        }
    }

    @Test
    void connectionsAtEightyPercentOfTheDatabaseLimitRaiseOneHighEventAndRecoverBelow() throws Exception {
        List<Connection> sessions = new ArrayList<>();
        try (Connection admin = Databases.postgres("postgres"); MonitorRun run = monitor()) {
            Databases.exec(admin, "ALTER DATABASE " + DB + " CONNECTION LIMIT 10");
            try {
                for (int i = 0; i < 7; i++) {
                    sessions.add(Databases.postgres(DB));
                }
                assertEquals(List.of(), run.poll());
                assertEquals(70.0, run.value("dbperf.connections.used_pct", OF_DB));

                sessions.add(Databases.postgres(DB));
                Event exceeded = only(run.poll());
                assertEquals("dbperf.connections.exceeded", exceeded.type());
                assertEquals(Severity.HIGH, exceeded.severity());
                assertEquals(SUBJECT, exceeded.subject());
                assertEquals(80.0, exceeded.attributes().get("value"));
                assertEquals(8L, exceeded.attributes().get("connections"));
                assertEquals(10L, exceeded.attributes().get("max"));
                assertEquals(List.of(), run.poll());

                sessions.remove(0).close();
                sessions.remove(0).close();
                Databases.await("two sessions to end", Duration.ofSeconds(5), () -> sessionsIn(DB) <= 7);
                Event recovered = only(run.poll());
                assertEquals("dbperf.connections.recovered", recovered.type());
                assertEquals(60.0, recovered.attributes().get("value"));
                assertEquals(exceeded.fingerprint(), recovered.fingerprint());
            } finally {
                for (Connection c : sessions) {
                    c.close();
                }
                Databases.exec(admin, "ALTER DATABASE " + DB + " CONNECTION LIMIT -1");
            }
        }
    }

    @Test
    void aSessionWaitingForARowLockIsCountedWithItsWaitTime() throws Exception {
        try (MonitorRun run = monitor(); Connection holder = Databases.postgres(DB);
             Connection waiter = Databases.postgres(DB)) {
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
            double waited = run.value("dbperf.locks.longest_wait", OF_DB);
            assertTrue(waited >= 0.2 && waited < 30, "waited " + waited);

            holder.commit();
            blocked.get(5, TimeUnit.SECONDS);
            run.poll();
            assertEquals(0.0, run.value("dbperf.locks.waiting", OF_DB));
        }
    }

    @Test
    void pgStatResetSkipsOneIntervalInsteadOfReportingANegativeRate() throws Exception {
        try (MonitorRun run = monitor(); Connection c = Databases.postgres(DB)) {
            run.poll();
            assertEquals(List.of(), run.values("dbperf.transactions.rate", OF_DB), "first poll: baseline only");
            run.poll();
            assertTrue(run.value("dbperf.transactions.rate", OF_DB) >= 0);

            Databases.exec(c, "SELECT pg_stat_reset()");
            run.poll();
            assertEquals(List.of(), run.values("dbperf.transactions.rate", OF_DB), "the reset interval is skipped");
            assertEquals(List.of(), run.values("dbperf.deadlocks", OF_DB));

            run.poll();
            assertTrue(run.value("dbperf.transactions.rate", OF_DB) >= 0, "rates resume");
        }
    }

    @Test
    void ratesContinueAcrossAnAgentRestartBecauseTheLastReadingIsKeptInState() throws Exception {
        try (MonitorRun run = monitor()) {
            run.poll();
            run.restart();
            run.poll();
            assertTrue(run.value("dbperf.transactions.rate", OF_DB) >= 0, "a rate on the first poll after the restart");
            assertEquals(1, run.values("dbperf.rollbacks.rate", OF_DB).size());
        }
    }

    @Test
    void reportsSizeProbeLatencyAndItsOwnCollectionTime() throws Exception {
        try (MonitorRun run = monitor(); Connection c = Databases.postgres(DB)) {
            run.poll();
            run.poll();
            long size = Databases.queryLong(c, "SELECT pg_database_size('" + DB + "')");
            assertEquals((double) size, run.value("dbperf.size", OF_DB));
            double probe = run.value("dbperf.probe.latency", Map.of("server", SERVER));
            double collection = run.value("dbperf.collection.duration", Map.of("server", SERVER));
            assertTrue(probe > 0 && probe < collection && collection < 5, probe + " " + collection);
            double share = run.value("dbperf.collection.interval_share", Map.of("server", SERVER));
            assertTrue(share > 0, "interval share " + share); // polls back to back here: it can pass 100 %
            assertEquals(1, run.values("dbperf.checkpoints", Map.of("trigger", "timed")).size());
            assertEquals(1, run.values("dbperf.checkpoints", Map.of("trigger", "requested")).size());
            assertEquals(List.of(), run.values("dbperf.replication.lag", Map.of()), "a primary without standbys");
        }
    }

    @Test
    void onlyTheSelectedDatabasesAreReported() throws Exception {
        try (MonitorRun run = monitor()) {
            run.poll();
            assertEquals(List.of(DB), run.samples().stream().map(s -> s.labels().get("database"))
                    .filter(d -> d != null).distinct().toList());
        }
    }

    @Test
    void anUnreachableServerIsReportedOnceAndReachableOnceWhenBack() throws Exception {
        try (TcpProxy proxy = new TcpProxy(5432);
             MonitorRun run = new MonitorRun(Map.of("url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + DB,
                     "user", "postgres", "connect_timeout", "2s", "include_databases", List.of(DB)))) {
            assertEquals(List.of(), run.poll());

            proxy.stop();
            List<Event> whileDown = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                whileDown.addAll(run.poll());
                assertEquals(0.0, run.value("dbperf.up", Map.of()));
            }
            Event down = only(whileDown);
            assertEquals("dbperf.unreachable", down.type());
            assertEquals(Severity.HIGH, down.severity());
            assertEquals("postgresql://127.0.0.1:" + proxy.port(), down.subject());
            assertEquals("connection refused by 127.0.0.1:" + proxy.port()
                    + " (is the server running and listening there?)", down.attributes().get("reason"));

            proxy.start();
            Event back = only(run.poll());
            assertEquals("dbperf.reachable", back.type());
            assertEquals(down.fingerprint(), back.fingerprint());
            assertEquals(1.0, run.value("dbperf.up", Map.of()));
            assertEquals(List.of(), summary(run.poll()));
        }
    }

    private static long deadlocks() {
        try (Connection c = Databases.postgres("postgres")) {
            return Databases.queryLong(c, "SELECT deadlocks FROM pg_stat_database WHERE datname = '" + DB + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sessionsIn(String db) {
        try (Connection c = Databases.postgres("postgres")) {
            return Databases.queryLong(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db
                    + "' AND backend_type = 'client backend'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long waitingIn(String db) {
        try (Connection c = Databases.postgres("postgres")) {
            return Databases.queryLong(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db
                    + "' AND wait_event_type = 'Lock'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two transactions locking two rows in opposite orders: PostgreSQL aborts one with 40P01. */
    private static void provokeDeadlock() throws Exception {
        Deadlocks.provoke(SCRATCH::connect, () -> waitingIn(DB) == 1, "40P01");
    }
}
