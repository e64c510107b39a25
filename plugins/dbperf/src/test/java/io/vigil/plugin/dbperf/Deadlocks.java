package io.vigil.plugin.dbperf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.dbconnect.testing.Databases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Makes the server under test detect a real deadlock, the same way on every engine. */
final class Deadlocks {

    private Deadlocks() {
    }

    /**
     * Two transactions lock rows 1 and 2 of {@code accounts} in opposite orders; the server must
     * roll exactly one back with {@code victimState}.
     *
     * @param connect        opens a connection to the database holding {@code accounts}
     * @param firstIsWaiting true once the first transaction waits for the second's lock
     */
    static void provoke(Supplier<Connection> connect, BooleanSupplier firstIsWaiting, String victimState)
            throws Exception {
        try (Connection first = connect.get(); Connection second = connect.get()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            Databases.exec(first, "UPDATE accounts SET balance = balance + 1 WHERE id = 1");
            Databases.exec(second, "UPDATE accounts SET balance = balance + 1 WHERE id = 2");
            CompletableFuture<String> firstOutcome = CompletableFuture.supplyAsync(() -> outcome(first,
                    "UPDATE accounts SET balance = balance + 1 WHERE id = 2"));
            Databases.await("the first transaction to wait", Duration.ofSeconds(5), firstIsWaiting);
            String secondOutcome = outcome(second, "UPDATE accounts SET balance = balance + 1 WHERE id = 1");
            List<String> outcomes = List.of(firstOutcome.get(10, TimeUnit.SECONDS), secondOutcome);
            assertEquals(1, outcomes.stream().filter(victimState::equals).count(), "one victim: " + outcomes);
            first.rollback();
            second.rollback();
        }
    }

    private static String outcome(Connection c, String sql) {
        try {
            Databases.exec(c, sql);
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }
}
