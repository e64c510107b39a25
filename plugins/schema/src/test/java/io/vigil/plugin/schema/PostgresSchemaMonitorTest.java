package io.vigil.plugin.schema;

import io.vigil.dbconnect.testing.Databases;
import io.vigil.dbconnect.testing.ScratchDatabase;
import static io.vigil.plugin.schema.MonitorRun.changes;
import static io.vigil.plugin.schema.MonitorRun.only;
import static io.vigil.plugin.schema.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The schema monitor against a real PostgreSQL: one database per class, one schema per test. */
class PostgresSchemaMonitorTest {

    @RegisterExtension
    static final ScratchDatabase SCRATCH = ScratchDatabase.postgres("vigil_schema_pg");
    private static final String DB = SCRATCH.name();
    private static Connection ddl;

    private String schema;
    private MonitorRun run;

    @BeforeAll
    static void connect() {
        ddl = SCRATCH.connect();
    }

    @AfterAll
    static void disconnect() throws SQLException {
        if (ddl != null) {
            ddl.close();
        }
    }

    @BeforeEach
    void createSchema(TestInfo test) throws SQLException {
        schema = "s_" + Integer.toHexString(test.getDisplayName().hashCode() & 0x7fffffff);
        Databases.exec(ddl, "create schema " + schema, "set search_path to " + schema,
                "create table customers (id bigint primary key, email varchar(100) not null unique, name text)",
                "create table orders (id bigserial primary key, customer_id bigint not null references customers (id), "
                        + "amount numeric(12,2) not null check (amount > 0), note varchar(200), "
                        + "created_at timestamp with time zone not null default now())",
                "create index orders_customer_idx on orders (customer_id)");
        run = new MonitorRun(Map.of("url", Databases.postgresUrl(DB), "user", "postgres",
                "include_schemas", List.of(schema)));
    }

    @AfterEach
    void closeMonitor() throws Exception {
        run.close();
    }

    private Event changeAfter(String... statements) throws Exception {
        run.poll();
        Databases.exec(ddl, statements);
        Event e = only(run.poll());
        assertEquals("schema.changed", e.type());
        return e;
    }

    @Test
    void theFirstPollRecordsABaselineWithCountsAndHash() throws Exception {
        Event e = only(run.poll());

        assertEquals("schema.baseline", e.type());
        assertEquals(Severity.INFO, e.severity());
        assertEquals("postgresql://127.0.0.1:5432/" + DB, e.subject());
        assertEquals("first snapshot", e.attributes().get("reason"));
        assertEquals(Map.ofEntries(Map.entry("schemas", 1L), Map.entry("tables", 2L), Map.entry("views", 0L),
                Map.entry("columns", 8L), Map.entry("primary_keys", 2L), Map.entry("unique_constraints", 1L),
                Map.entry("foreign_keys", 1L), Map.entry("checks", 1L), Map.entry("indexes", 1L),
                Map.entry("triggers", 0L), Map.entry("routines", 0L)), e.attributes().get("counts"));
        assertEquals(64, ((String) e.attributes().get("hash")).length());
    }

    @Test
    void aPollWithoutChangesEmitsNothing() throws Exception {
        run.poll();
        assertEquals(List.of(), run.poll());
    }

    @Test
    void aRestartKeepsTheBaselineAndDoesNotReportItAgain() throws Exception {
        run.poll();
        run.restart();
        assertEquals(List.of(), run.poll());
    }

    @Test
    void droppingAColumnIsCriticalAndSetsTheEventSeverity() throws Exception {
        Event e = changeAfter("alter table " + schema + ".orders drop column note",
                "alter table " + schema + ".orders add column coupon text");

        assertEquals(Severity.CRITICAL, e.severity());
        assertEquals("critical", e.attributes().get("highest_risk"));
        assertEquals(2, e.attributes().get("change_count"));
        assertEquals(List.of("column " + schema + ".orders.note critical [column.dropped]"), summary(e, "removed"));
        assertEquals(List.of("column " + schema + ".orders.coupon low [column.added]"), summary(e, "added"));
        assertEquals(Map.of("default", "", "nullable", true, "type", "character varying(200)"),
                withoutNulls(changes(e, "removed").get(0).get("before")));
    }

    @Test
    void narrowingAVarcharIsHighAndShowsBeforeAndAfter() throws Exception {
        Event e = changeAfter("alter table " + schema + ".orders alter column note type varchar(50)");

        assertEquals(Severity.HIGH, e.severity());
        assertEquals(List.of("column " + schema + ".orders.note high [column.type_narrowed]"), summary(e, "altered"));
        Map<String, Object> altered = changes(e, "altered").get(0);
        assertEquals("character varying(200)", ((Map<?, ?>) altered.get("before")).get("type"));
        assertEquals("character varying(50)", ((Map<?, ?>) altered.get("after")).get("type"));
    }

    @Test
    void wideningTypesIsLow() throws Exception {
        Event e = changeAfter("alter table " + schema + ".orders alter column note type varchar(400)",
                "alter table " + schema + ".orders alter column amount type numeric(14,2)");

        assertEquals(Severity.LOW, e.severity());
        assertEquals(List.of("column " + schema + ".orders.amount low [column.type_widened]",
                "column " + schema + ".orders.note low [column.type_widened]"), summary(e, "altered"));
    }

    @Test
    void reducingNumericPrecisionAndBigintToIntAreHigh() throws Exception {
        Event e = changeAfter("alter table " + schema + ".orders alter column amount type numeric(8,2)",
                "alter table " + schema + ".orders alter column customer_id type integer");

        assertEquals(List.of("column " + schema + ".orders.amount high [column.type_narrowed]",
                "column " + schema + ".orders.customer_id high [column.type_narrowed]"), summary(e, "altered"));
    }

    @Test
    void notNullWithoutDefaultIsHighAndWithADefaultMedium() throws Exception {
        Event e = changeAfter("alter table " + schema + ".customers alter column name set not null",
                "alter table " + schema + ".orders alter column note set default 'none'",
                "alter table " + schema + ".orders alter column note set not null");

        assertEquals(Severity.HIGH, e.severity());
        assertEquals(List.of("column " + schema + ".customers.name high [column.not_null_added_without_default]",
                "column " + schema + ".orders.note medium [column.not_null_added, column.default_added]"),
                summary(e, "altered"));
    }

    @Test
    void droppingAnIndexIsMediumAndAddingOneLow() throws Exception {
        Event e = changeAfter("drop index " + schema + ".orders_customer_idx",
                "create index on " + schema + ".orders (created_at)");

        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals(List.of("index " + schema + ".orders btree (customer_id) medium [index.dropped]"),
                summary(e, "removed"));
        assertEquals(List.of("index " + schema + ".orders btree (created_at) low [index.added]"), summary(e, "added"));
        assertEquals("orders_customer_idx", changes(e, "removed").get(0).get("label"));
    }

    @Test
    void droppingAForeignKeyIsMedium() throws Exception {
        Event e = changeAfter("alter table " + schema + ".orders drop constraint orders_customer_id_fkey");

        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals(List.of("foreign_key " + schema + ".orders (customer_id) -> " + schema
                + ".customers(id) medium [foreign_key.dropped]"), summary(e, "removed"));
        assertEquals("orders_customer_id_fkey", changes(e, "removed").get(0).get("label"));
    }

    @Test
    void aForeignKeyThatNowCascadesDeletesIsHighWhateverItIsNamed() throws Exception {
        Event e = changeAfter("alter table " + schema + ".orders drop constraint orders_customer_id_fkey",
                "alter table " + schema + ".orders add constraint fk_again foreign key (customer_id) references "
                        + schema + ".customers (id) on delete cascade");

        assertEquals(List.of("foreign_key " + schema + ".orders (customer_id) -> " + schema
                + ".customers(id) high [foreign_key.on_delete_cascade]"), summary(e, "altered"));
    }

    @Test
    void renamingATableIsOneHighChangeThatIncludesTheForeignKeysPointingAtIt() throws Exception {
        Event e = changeAfter("alter table " + schema + ".customers rename to clients");

        assertEquals(Severity.HIGH, e.severity());
        assertEquals(1, e.attributes().get("change_count"));
        assertEquals(List.of("table " + schema + ".customers -> " + schema + ".clients high [table.renamed]"),
                summary(e, "renamed"));
    }

    @Test
    void renamingAColumnIsOneHighChangeThatIncludesItsIndex() throws Exception {
        Event e = changeAfter("alter table " + schema + ".orders rename column customer_id to client_id");

        assertEquals(List.of("column " + schema + ".orders.customer_id -> " + schema + ".orders.client_id high "
                + "[column.renamed]"), summary(e, "renamed"));
        assertEquals(1, e.attributes().get("change_count"));
    }

    @Test
    void droppingATableIsCriticalAndListsItsColumnsInsteadOfOneChangePerColumn() throws Exception {
        Event e = changeAfter("drop table " + schema + ".orders");

        assertEquals(Severity.CRITICAL, e.severity());
        assertEquals(List.of("table " + schema + ".orders critical [table.dropped]"), summary(e, "removed"));
        Map<?, ?> before = (Map<?, ?>) changes(e, "removed").get(0).get("before");
        assertEquals(List.of("amount", "created_at", "customer_id", "id", "note"),
                List.copyOf(((Map<?, ?>) before.get("columns")).keySet()));
    }

    @Test
    void checksTriggersViewsAndFunctionsAreWatched() throws Exception {
        Event e = changeAfter(
                "create function " + schema + ".touch() returns trigger language plpgsql as "
                        + "$$ begin new.note := 'x'; return new; end $$",
                "create trigger orders_touch before insert on " + schema + ".orders for each row execute function "
                        + schema + ".touch()",
                "create view " + schema + ".big_orders as select id, amount from " + schema + ".orders where amount > 100",
                "alter table " + schema + ".orders drop constraint orders_amount_check");

        assertEquals(List.of("check " + schema + ".orders CHECK ((amount > (0)::numeric)) medium [check.dropped]"),
                summary(e, "removed"));
        assertEquals(List.of("trigger " + schema + ".orders.orders_touch medium [trigger.added]",
                "view " + schema + ".big_orders low [view.added]",
                "routine " + schema + ".touch() low [routine.added]"), summary(e, "added"));
    }

    @Test
    void excludedTablesAreNotWatched() throws Exception {
        run.close();
        run = new MonitorRun(Map.of("url", Databases.postgresUrl(DB), "user", "postgres",
                "include_schemas", List.of(schema), "exclude_tables", List.of("ord*")));
        run.poll();
        Databases.exec(ddl, "alter table " + schema + ".orders drop column note");
        assertEquals(List.of(), run.poll());
    }

    @Test
    void changingTheIncludeOptionsRecordsANewBaselineInsteadOfReportingChanges() throws Exception {
        run.poll();
        MonitorRun narrower = new MonitorRun(Map.of("url", Databases.postgresUrl(DB), "user", "postgres",
                "include_schemas", List.of(schema), "include_tables", List.of("customers")));
        // same state store, as when the operator edits the monitor's options and restarts the agent
        narrower.ctx.state().putAll(run.ctx.state().entries(""));
        Event e = only(narrower.poll());
        narrower.close();

        assertEquals("schema.baseline", e.type());
        assertEquals("database or include/exclude options changed", e.attributes().get("reason"));
    }

    @Test
    void theSameSchemaBuiltInAnotherOrderHasTheSameHash() throws Exception {
        String other = schema + "_b";
        Databases.exec(ddl, "drop schema " + schema + " cascade", "create schema " + schema, "create schema " + other);
        Databases.exec(ddl, "set search_path to " + schema,
                "create table customers (id bigint primary key, email varchar(100) not null unique, name text)",
                "create table orders (id bigserial primary key, customer_id bigint not null references customers (id))",
                "create index orders_customer_idx on orders (customer_id)",
                "alter table orders add column amount numeric(12,2) check (amount > 0)");
        Databases.exec(ddl, "set search_path to " + other,
                "create table customers (name text, email varchar(100) not null, id bigint not null)",
                "create table orders (amount numeric(12,2), customer_id bigint not null, id bigserial)",
                "create index some_other_name on orders (customer_id)",
                "alter table orders add constraint positive check (amount > 0)",
                "alter table customers add constraint pk primary key (id)",
                "alter table orders add constraint opk primary key (id)",
                "alter table customers add constraint uq unique (email)",
                "alter table orders add constraint fk foreign key (customer_id) references customers (id)",
                "set search_path to public");
        String first = hashOf(schema);
        String second = hashOf(other);
        // the schema name is part of the identity; compare the rest by renaming the second schema
        Databases.exec(ddl, "drop schema " + schema + " cascade", "alter schema " + other + " rename to " + schema);
        assertNotEquals("", first);
        assertNotEquals(first, second, "different schema names are different schemas");
        assertEquals(first, hashOf(schema));
    }

    private String hashOf(String schemaName) throws Exception {
        try (MonitorRun r = new MonitorRun(Map.of("url", Databases.postgresUrl(DB), "user", "postgres",
                "include_schemas", List.of(schemaName)))) {
            return (String) only(r.poll()).attributes().get("hash");
        }
    }

    private static Map<String, Object> withoutNulls(Object props) {
        Map<String, Object> out = new java.util.TreeMap<>();
        ((Map<?, ?>) props).forEach((k, v) -> out.put((String) k, v == null ? "" : v));
        return out;
    }
}
