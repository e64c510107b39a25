package io.vigil.plugin.schema;

import io.vigil.dbconnect.testing.Databases;
import static io.vigil.plugin.schema.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.plugin.schema.immediate.PostgresEventTrigger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PostgreSQL immediate mode: event triggers, LISTEN, and the fallback to polling. */
class ImmediateModeTest {

    private static final String DB = Databases.uniqueName("vigil_schema_now");
    private static final String PLAIN_ROLE = Databases.uniqueName("vigil_plain");
    private static Connection ddl;

    @BeforeAll
    static void createDatabase() throws SQLException {
        Databases.createPostgres(DB);
        ddl = Databases.postgres(DB);
        Databases.exec(ddl, "create table items (id bigint primary key, name text)",
                "create role " + PLAIN_ROLE + " login");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (ddl != null) {
            ddl.close();
        }
        Databases.dropPostgres(DB);
        try (Connection c = Databases.postgres("postgres")) {
            Databases.exec(c, "drop role if exists " + PLAIN_ROLE);
        }
    }

    @BeforeEach
    void withoutTriggers() throws SQLException {
        Databases.exec(ddl, PostgresEventTrigger.UNINSTALL_SQL);
    }

    private static MonitorRun immediate(String user) {
        return new MonitorRun(Map.of("url", Databases.postgresUrl(DB), "user", user, "immediate", true));
    }

    @Test
    void aSuperuserMonitorInstallsTheTriggersAndReportsDdlWithinTwoSecondsWithoutAPoll() throws Exception {
        try (MonitorRun run = immediate("postgres")) {
            assertEquals(List.of("schema.baseline"), run.poll().stream().map(Event::type).toList());
            assertTrue(run.monitor().listening());

            long start = System.nanoTime();
            Databases.exec(ddl, "alter table items add column price numeric(10,2)");
            Event changed = awaitEvent(run, "schema.changed", 5000);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertTrue(millis < 2000, "detected after " + millis + " ms");
            assertEquals(List.of("column public.items.price low [column.added]"), summary(changed, "added"));
        }
    }

    @Test
    void aDropIsReportedImmediatelyToo() throws Exception {
        try (MonitorRun run = immediate("postgres")) {
            run.poll();
            Databases.exec(ddl, "create table scratch (id int)");
            awaitEvent(run, "schema.changed", 5000);
            run.ctx.clearEmitted();
            Databases.exec(ddl, "drop table scratch");
            Event dropped = awaitEvent(run, "schema.changed", 5000);
            assertEquals(List.of("table public.scratch critical [table.dropped]"), summary(dropped, "removed"));
        }
    }

    @Test
    void withoutSuperuserAndWithoutTriggersItSaysSoOnceAndPolls() throws Exception {
        try (MonitorRun run = immediate(PLAIN_ROLE)) {
            List<String> types = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                run.poll().forEach(e -> types.add(e.type()));
            }
            assertEquals(List.of("schema.baseline", "schema.immediate.unavailable"), types);
            assertFalse(run.monitor().listening());
            Event unavailable = run.ctx.events().get(1);
            assertEquals("the event triggers vigil_schema_ddl_end and vigil_schema_sql_drop are not installed and user '"
                    + PLAIN_ROLE + "' is not a superuser, which PostgreSQL requires to create them: have a superuser "
                    + "run the install SQL from the schema plugin's README, or set immediate: false",
                    unavailable.attributes().get("reason"));

            Databases.exec(ddl, "alter table items add column sku text");
            assertEquals(List.of("column public.items.sku low [column.added]"),
                    summary(MonitorRun.only(run.poll()), "added"));
            Databases.exec(ddl, "alter table items drop column sku");
        }
    }

    @Test
    void aPlainUserListensWhenADbaInstalledTheTriggers() throws Exception {
        Databases.exec(ddl, PostgresEventTrigger.INSTALL_SQL);
        try (MonitorRun run = immediate(PLAIN_ROLE)) {
            assertEquals(List.of("schema.baseline"), run.poll().stream().map(Event::type).toList());
            assertTrue(run.monitor().listening());
            Databases.exec(ddl, "create index items_name on items (name)");
            Event changed = awaitEvent(run, "schema.changed", 5000);
            assertEquals(List.of("index public.items btree (name) low [index.added]"), summary(changed, "added"));
            Databases.exec(ddl, "drop index items_name");
        }
    }

    @Test
    void closingTheMonitorStopsTheListener() throws Exception {
        MonitorRun run = immediate("postgres");
        run.poll();
        assertTrue(run.monitor().listening());
        run.close();
        assertFalse(run.monitor().listening());
    }

    private static Event awaitEvent(MonitorRun run, String type, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            for (Event e : run.ctx.events()) {
                if (e.type().equals(type)) {
                    return e;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + type + " within " + timeoutMillis + " ms; events: "
                + run.ctx.events().stream().map(Event::type).toList());
    }
}
