package io.vigil.plugin.schema;

import io.vigil.dbconnect.testing.Databases;
import io.vigil.dbconnect.testing.ScratchDatabase;
import static io.vigil.plugin.schema.MonitorRun.changes;
import static io.vigil.plugin.schema.MonitorRun.only;
import static io.vigil.plugin.schema.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * The schema monitor against a real MariaDB: one database per class; each test has its own
 * table prefix and watches only its tables.
 */
class MariaDbSchemaMonitorTest {

    @RegisterExtension
    static final ScratchDatabase SCRATCH = ScratchDatabase.mariadb("vigil_schema_maria");
    private static final String DB = SCRATCH.name();
    private static Connection ddl;

    private String p;
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
    void createTables(TestInfo test) throws SQLException {
        p = "t" + Integer.toHexString(test.getDisplayName().hashCode() & 0x7fffffff);
        Databases.exec(ddl,
                "create table " + p + "_customers (id bigint primary key, email varchar(100) not null unique, name text)",
                "create table " + p + "_orders (id bigint auto_increment primary key, customer_id bigint not null, "
                        + "amount decimal(12,2) not null check (amount > 0), note varchar(200), "
                        + "constraint " + p + "_fk foreign key (customer_id) references " + p + "_customers (id))",
                "create index " + p + "_created on " + p + "_orders (note)");
        run = monitor(DB, List.of(p + "_*"));
    }

    private static MonitorRun monitor(String database, List<String> tables) {
        return new MonitorRun(Map.of("url", Databases.mariadbUrl(database), "user", "root", "password", "",
                "include_tables", tables));
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
    void theFirstPollRecordsABaselineOfTheUrlsDatabase() throws Exception {
        Event e = only(run.poll());

        assertEquals("schema.baseline", e.type());
        assertEquals("mariadb://127.0.0.1:3306/" + DB, e.subject());
        Map<?, ?> counts = (Map<?, ?>) e.attributes().get("counts");
        assertEquals(1L, counts.get("schemas"));
        assertEquals(2L, counts.get("tables"));
        assertEquals(7L, counts.get("columns"));
        assertEquals(2L, counts.get("primary_keys"));
        assertEquals(1L, counts.get("unique_constraints"));
        assertEquals(1L, counts.get("foreign_keys"));
        assertEquals(1L, counts.get("checks"));
        // the index on note, and the one MariaDB made for the foreign key
        assertEquals(2L, counts.get("indexes"));
    }

    @Test
    void addingANullableColumnIsLowAndDroppingOneCritical() throws Exception {
        Event e = changeAfter("alter table " + p + "_orders add column coupon varchar(20)",
                "alter table " + p + "_customers drop column name");

        assertEquals(Severity.CRITICAL, e.severity());
        assertEquals(List.of("column " + DB + "." + p + "_customers.name critical [column.dropped]"), summary(e, "removed"));
        assertEquals(List.of("column " + DB + "." + p + "_orders.coupon low [column.added]"), summary(e, "added"));
        assertEquals(Map.of("type", "varchar(20)", "nullable", true), withoutNulls(changes(e, "added").get(0).get("after")));
    }

    @Test
    void narrowingAVarcharIsHighAndTextToMediumtextLow() throws Exception {
        Event e = changeAfter("alter table " + p + "_orders modify note varchar(50)",
                "alter table " + p + "_customers modify name mediumtext");

        assertEquals(Severity.HIGH, e.severity());
        assertEquals(List.of("column " + DB + "." + p + "_orders.note high [column.type_narrowed]",
                "column " + DB + "." + p + "_customers.name low [column.type_widened]"), summary(e, "altered"));
        Map<String, Object> note = changes(e, "altered").get(0);
        assertEquals("varchar(200)", ((Map<?, ?>) note.get("before")).get("type"));
        assertEquals("varchar(50)", ((Map<?, ?>) note.get("after")).get("type"));
    }

    @Test
    void reducingDecimalPrecisionIsHigh() throws Exception {
        Event e = changeAfter("alter table " + p + "_orders modify amount decimal(8,2) not null");

        assertEquals(List.of("column " + DB + "." + p + "_orders.amount high [column.type_narrowed]"),
                summary(e, "altered"));
    }

    @Test
    void notNullWithoutDefaultIsHigh() throws Exception {
        Event e = changeAfter("alter table " + p + "_orders modify note varchar(200) not null");

        assertEquals(List.of("column " + DB + "." + p + "_orders.note high [column.not_null_added_without_default]"),
                summary(e, "altered"));
    }

    @Test
    void droppingAnIndexIsMediumAndAddingOneLow() throws Exception {
        Event e = changeAfter("drop index " + p + "_created on " + p + "_orders",
                "create index " + p + "_amount on " + p + "_orders (amount)");

        assertEquals(List.of("index " + DB + "." + p + "_orders btree (note) medium [index.dropped]"),
                summary(e, "removed"));
        assertEquals(List.of("index " + DB + "." + p + "_orders btree (amount) low [index.added]"), summary(e, "added"));
    }

    @Test
    void droppingAForeignKeyIsMediumAndLeavesItsIndex() throws Exception {
        Event e = changeAfter("alter table " + p + "_orders drop foreign key " + p + "_fk");

        assertEquals(List.of("foreign_key " + DB + "." + p + "_orders (customer_id) -> " + DB + "." + p
                + "_customers(id) medium [foreign_key.dropped]"), summary(e, "removed"));
        assertEquals(1, e.attributes().get("change_count"));
    }

    @Test
    void addingAForeignKeyIsMedium() throws Exception {
        Event e = changeAfter("alter table " + p + "_orders add column referrer bigint",
                "alter table " + p + "_orders add constraint " + p + "_ref foreign key (referrer) references "
                        + p + "_customers (id)");

        assertEquals(List.of("foreign_key " + DB + "." + p + "_orders (referrer) -> " + DB + "." + p
                        + "_customers(id) medium [foreign_key.added]",
                "index " + DB + "." + p + "_orders btree (referrer) low [index.added]",
                "column " + DB + "." + p + "_orders.referrer low [column.added]"), summary(e, "added"));
    }

    @Test
    void renamingATableIsOneHighChange() throws Exception {
        Event e = changeAfter("rename table " + p + "_customers to " + p + "_clients");

        assertEquals(List.of("table " + DB + "." + p + "_customers -> " + DB + "." + p + "_clients high [table.renamed]"),
                summary(e, "renamed"));
        assertEquals(1, e.attributes().get("change_count"));
    }

    @Test
    void droppingATableIsCritical() throws Exception {
        Event e = changeAfter("drop table " + p + "_orders");

        assertEquals(List.of("table " + DB + "." + p + "_orders critical [table.dropped]"), summary(e, "removed"));
        assertEquals(1, e.attributes().get("change_count"));
    }

    @Test
    void triggersAndViewsAreWatched() throws Exception {
        Event e = changeAfter("create trigger " + p + "_trg before insert on " + p + "_orders for each row "
                        + "set new.note = coalesce(new.note, 'none')",
                "create view " + p + "_big as select id, amount from " + p + "_orders where amount > 100");

        assertEquals(List.of("trigger " + DB + "." + p + "_orders." + p + "_trg medium [trigger.added]",
                "view " + DB + "." + p + "_big low [view.added]"), summary(e, "added"));
        Map<?, ?> view = (Map<?, ?>) changes(e, "added").get(1).get("after");
        assertEquals("select `" + p + "_orders`.`id` AS `id`,`" + p + "_orders`.`amount` AS `amount` from `" + p
                + "_orders` where `" + p + "_orders`.`amount` > 100", view.get("definition"));
    }

    @Test
    void theSameSchemaBuiltInAnotherOrderInAnotherDatabaseHasTheSameHash() throws Exception {
        String other = Databases.uniqueName("vigil_schema_maria_b");
        Databases.createMariadb(other);
        try (Connection c = Databases.mariadb(other)) {
            Databases.exec(c,
                    "create table " + p + "_orders (note varchar(200), amount decimal(12,2) not null, "
                            + "customer_id bigint not null, id bigint auto_increment, primary key (id))",
                    "create table " + p + "_customers (name text, email varchar(100) not null, id bigint not null)",
                    "alter table " + p + "_customers add primary key (id), add constraint uq unique (email)",
                    "create index other_name on " + p + "_orders (note)",
                    "alter table " + p + "_orders add constraint positive check (amount > 0)",
                    "alter table " + p + "_orders add foreign key (customer_id) references " + p + "_customers (id)");
            String first = (String) only(run.poll()).attributes().get("hash");
            try (MonitorRun second = monitor(other, List.of(p + "_*"))) {
                assertEquals(first, only(second.poll()).attributes().get("hash"));
            }
        } finally {
            Databases.dropMariadb(other);
        }
    }

    private static Map<String, Object> withoutNulls(Object props) {
        Map<String, Object> out = new java.util.TreeMap<>();
        ((Map<?, ?>) props).forEach((k, v) -> {
            if (v != null) {
                out.put((String) k, v);
            }
        });
        return out;
    }
}
