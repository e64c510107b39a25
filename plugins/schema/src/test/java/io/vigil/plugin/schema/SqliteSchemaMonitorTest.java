package io.vigil.plugin.schema;

import io.vigil.dbconnect.testing.Databases;
import static io.vigil.plugin.schema.MonitorRun.changes;
import static io.vigil.plugin.schema.MonitorRun.only;
import static io.vigil.plugin.schema.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.dbconnect.ConnectionSettings;
import io.vigil.dbconnect.DatabaseConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema monitor on SQLite files in a temporary directory. */
class SqliteSchemaMonitorTest {

    @TempDir
    Path dir;

    private Path file;
    private Connection ddl;
    private MonitorRun run;

    @BeforeEach
    void createDatabase() throws SQLException {
        file = dir.resolve("app.db");
        ddl = open(file);
        Databases.exec(ddl, "pragma foreign_keys = on",
                "create table customers (id integer primary key, email varchar(100) not null unique, name text)",
                "create table orders (id integer primary key autoincrement, "
                        + "customer_id integer not null references customers (id), "
                        + "amount numeric(12,2) not null check (amount > 0), note varchar(200))",
                "create index orders_customer on orders (customer_id)");
        run = new MonitorRun(Map.of("url", "jdbc:sqlite:" + file));
    }

    @AfterEach
    void close() throws Exception {
        run.close();
        ddl.close();
    }

    private static Connection open(Path path) throws SQLException {
        return DatabaseConnector.open(ConnectionSettings.of("jdbc:sqlite:" + path));
    }

    private Event changeAfter(String... statements) throws Exception {
        run.poll();
        Databases.exec(ddl, statements);
        Event e = only(run.poll());
        assertEquals("schema.changed", e.type());
        return e;
    }

    @Test
    void theFirstPollRecordsABaselineOfMain() throws Exception {
        Event e = only(run.poll());

        assertEquals("schema.baseline", e.type());
        assertEquals("sqlite:" + file, e.subject());
        Map<?, ?> counts = (Map<?, ?>) e.attributes().get("counts");
        assertEquals(List.of(1L, 2L, 7L, 2L, 1L, 1L, 1L, 1L), List.of(counts.get("schemas"), counts.get("tables"),
                counts.get("columns"), counts.get("primary_keys"), counts.get("unique_constraints"),
                counts.get("foreign_keys"), counts.get("checks"), counts.get("indexes")));
    }

    @Test
    void aMissingFileIsUnreachableAndIsNotCreated() throws Exception {
        Path missing = dir.resolve("missing.db");
        try (MonitorRun r = new MonitorRun(Map.of("url", "jdbc:sqlite:" + missing))) {
            Event e = only(r.poll());
            assertEquals("schema.unreachable", e.type());
            assertEquals("database file " + missing + " does not exist", e.attributes().get("reason"));
        }
        assertFalse(Files.exists(missing));
    }

    @Test
    void addingAColumnIsLowAndDroppingOneCritical() throws Exception {
        Event e = changeAfter("alter table orders add column coupon text", "alter table customers drop column name");

        assertEquals(Severity.CRITICAL, e.severity());
        assertEquals(List.of("column main.customers.name critical [column.dropped]"), summary(e, "removed"));
        assertEquals(List.of("column main.orders.coupon low [column.added]"), summary(e, "added"));
    }

    @Test
    void droppingAnIndexIsMediumAndAddingOneLow() throws Exception {
        Event e = changeAfter("drop index orders_customer", "create index orders_note on orders (note) where note is not null");

        assertEquals(List.of("index main.orders (customer_id) medium [index.dropped]"), summary(e, "removed"));
        assertEquals(List.of("index main.orders (note) where note is not null low [index.added]"), summary(e, "added"));
    }

    @Test
    void aForeignKeyAddedByRebuildingTheTableIsMedium() throws Exception {
        Event e = changeAfter("create table customers_new (id integer primary key, email varchar(100) not null unique, "
                        + "name text, referrer integer references customers_new (id))",
                "insert into customers_new (id, email, name) select id, email, name from customers",
                "pragma foreign_keys = off", "drop table customers", "alter table customers_new rename to customers",
                "pragma foreign_keys = on");

        assertEquals(List.of(
                "foreign_key main.customers (referrer) -> main.customers(id) medium [foreign_key.added]",
                "column main.customers.referrer low [column.added]"), summary(e, "added"));
    }

    @Test
    void renamingATableIsOneHighChangeThatIncludesTheForeignKeysPointingAtIt() throws Exception {
        Event e = changeAfter("alter table customers rename to clients");

        assertEquals(List.of("table main.customers -> main.clients high [table.renamed]"), summary(e, "renamed"));
        assertEquals(1, e.attributes().get("change_count"));
    }

    @Test
    void checksAndTriggersAreReadFromTheStoredSql() throws Exception {
        Event e = changeAfter("create trigger orders_note after insert on orders begin "
                        + "update orders set note = 'new' where id = new.id; end",
                "alter table orders add column discount numeric check (discount >= 0 and discount < amount)");

        assertEquals(List.of("check main.orders discount >= 0 and discount < amount medium [check.added]",
                "trigger main.orders.orders_note medium [trigger.added]",
                "column main.orders.discount low [column.added]"), summary(e, "added"));
        // the trigger's own name and its table's are cut out, so a renamed table keeps its definition
        assertEquals("after insert ON begin update orders set note = 'new' where id = new.id; end",
                ((Map<?, ?>) changes(e, "added").get(1).get("after")).get("definition"));
    }

    @Test
    void theSameSchemaBuiltInAnotherOrderHasTheSameHash() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection c = open(other)) {
            Databases.exec(c, "create table orders (note varchar(200), id integer primary key autoincrement, "
                            + "customer_id integer not null references customers (id), "
                            + "amount numeric(12,2) not null check (amount > 0))",
                    "create index some_name on orders (customer_id)",
                    "create table customers (name text, id integer primary key, email varchar(100) not null unique)");
        }
        String first = (String) only(run.poll()).attributes().get("hash");
        try (MonitorRun second = new MonitorRun(Map.of("url", "jdbc:sqlite:" + other))) {
            assertEquals(first, only(second.poll()).attributes().get("hash"));
        }
    }
}
