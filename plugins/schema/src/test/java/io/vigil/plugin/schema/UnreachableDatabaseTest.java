package io.vigil.plugin.schema;

import io.vigil.dbconnect.testing.Databases;
import io.vigil.dbconnect.testing.TcpProxy;
import static io.vigil.plugin.schema.MonitorRun.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.Severity;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A database that goes away and comes back, reached through a TCP proxy the test can stop. */
class UnreachableDatabaseTest {

    private static final String DB = Databases.uniqueName("vigil_schema_down");

    @BeforeAll
    static void createDatabase() throws SQLException {
        Databases.createPostgres(DB);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        Databases.dropPostgres(DB);
    }

    private static MonitorRun monitorThrough(TcpProxy proxy) {
        return new MonitorRun(Map.of("url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + DB,
                "user", "postgres", "connect_timeout", "2s"));
    }

    @Test
    void anUnreachableDatabaseIsReportedOnceAcrossPollsAndReachableWhenBackWithTheSameFingerprint() throws Exception {
        try (TcpProxy proxy = new TcpProxy(5432); MonitorRun run = monitorThrough(proxy)) {
            assertEquals("schema.baseline", only(run.poll()).type());

            proxy.stop();
            List<Event> whileDown = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                whileDown.addAll(run.poll());
            }
            Event down = only(whileDown);
            assertEquals("schema.unreachable", down.type());
            assertEquals(Severity.HIGH, down.severity());
            assertEquals("connection refused by 127.0.0.1:" + proxy.port() + " (is the server running and listening "
                    + "there?)", down.attributes().get("reason"));

            proxy.start();
            Event back = only(run.poll());
            assertEquals("schema.reachable", back.type());
            assertEquals(Severity.INFO, back.severity());
            assertEquals(down.fingerprint(), back.fingerprint());
            assertEquals(List.of(), run.poll());
            assertEquals(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 1.0), run.ctx.samples().stream()
                    .filter(s -> s.name().equals("schema.up")).map(MetricSample::value).toList());
        }
    }

    @Test
    void aRestartWhileTheDatabaseIsDownDoesNotReportItAgain() throws Exception {
        try (TcpProxy proxy = new TcpProxy(5432); MonitorRun run = monitorThrough(proxy)) {
            proxy.stop();
            assertEquals("schema.unreachable", only(run.poll()).type());
            run.restart();
            assertEquals(List.of(), run.poll());
        }
    }

    @Test
    void aWrongPasswordIsUnreachableWithTheReasonAndThePasswordAppearsNowhere() throws Exception {
        String secret = "Wr0ng-s3cret-Pa55";
        try (MonitorRun run = new MonitorRun(Map.of("url", Databases.mariadbUrl(""), "user", "root",
                "password", secret))) {
            Event e = only(run.poll());
            assertEquals("schema.unreachable", e.type());
            assertEquals("authentication failed for user 'root' (check the user and password; the password option "
                    + "should point at the right secret)", e.attributes().get("reason"));
            assertFalse(e.toString().contains(secret), e.toString());
            assertFalse(run.ctx.options().toString().contains(secret), run.ctx.options().toString());
        }
    }
}
