package io.vigil.plugin.schema.catalog;

import io.vigil.plugin.schema.immediate.PostgresEventTrigger;
import io.vigil.plugin.schema.snapshot.SchemaObject;
import io.vigil.plugin.schema.snapshot.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads PostgreSQL's system catalogs (12 and later). Everything comes from {@code pg_catalog}
 * with the server's own deparsers ({@code format_type}, {@code pg_get_expr},
 * {@code pg_get_constraintdef}, {@code pg_get_indexdef}, {@code pg_get_viewdef}), which print
 * one canonical text whatever the DDL looked like.
 *
 * <p>Left out on purpose: system schemas, temporary schemas, objects that belong to an
 * extension (they change with {@code ALTER EXTENSION UPDATE}, not with the application's
 * migrations), partitions (a partitioned table is tracked as one table; daily partitions coming
 * and going are not schema changes) and the monitor's own {@code vigil_monitor} schema.
 */
final class PostgresCatalog implements CatalogReader {

    private static final String USER_SCHEMA = "n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', '"
            + PostgresEventTrigger.SCHEMA + "') and n.nspname not like 'pg\\_temp\\_%' "
            + "and n.nspname not like 'pg\\_toast\\_temp\\_%'";

    private static String notExtensionMember(String catalog, String oid) {
        return "not exists (select 1 from pg_depend d where d.classid = '" + catalog + "'::regclass and d.objid = "
                + oid + " and d.deptype = 'e')";
    }

    private static final String SCHEMAS = "select n.nspname from pg_namespace n where " + USER_SCHEMA + " and "
            + notExtensionMember("pg_namespace", "n.oid");

    private static final String RELATIONS = "select n.nspname, c.relname, c.relkind, c.relpersistence, "
            + "case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid, true) end "
            + "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            + "where c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition and " + USER_SCHEMA + " and "
            + notExtensionMember("pg_class", "c.oid");

    private static final String COLUMNS = "select n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
            + "a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, "
            + "case when a.attcollation <> t.typcollation then co.collname end "
            + "from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
            + "join pg_type t on t.oid = a.atttypid "
            + "left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum "
            + "left join pg_collation co on co.oid = a.attcollation "
            + "where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f') "
            + "and not c.relispartition and " + USER_SCHEMA + " and " + notExtensionMember("pg_class", "c.oid");

    private static final String KEY_COLUMNS = "(select string_agg(a.attname, ',' order by k.ord) "
            + "from unnest(%1$s) with ordinality k(num, ord) join pg_attribute a on a.attrelid = %2$s and a.attnum = k.num)";

    private static final String CONSTRAINTS = "select n.nspname, c.relname, con.conname, con.contype, "
            + "pg_get_constraintdef(con.oid), " + String.format(KEY_COLUMNS, "con.conkey", "con.conrelid") + ", "
            + "rn.nspname, rc.relname, " + String.format(KEY_COLUMNS, "con.confkey", "con.confrelid") + ", "
            + "con.confupdtype, con.confdeltype, con.condeferrable, con.condeferred, con.convalidated "
            + "from pg_constraint con join pg_class c on c.oid = con.conrelid "
            + "join pg_namespace n on n.oid = c.relnamespace "
            + "left join pg_class rc on rc.oid = con.confrelid left join pg_namespace rn on rn.oid = rc.relnamespace "
            // conparentid: FKs to a partitioned table get one clone per partition; only the parent counts
            + "where con.contype in ('p', 'u', 'f', 'c', 'x') and con.conparentid = 0 and not c.relispartition "
            + "and " + USER_SCHEMA + " and " + notExtensionMember("pg_class", "c.oid");

    private static final String INDEXES = "select n.nspname, t.relname, i.relname, pg_get_indexdef(i.oid), "
            + "ix.indisunique, ix.indisvalid "
            + "from pg_index ix join pg_class i on i.oid = ix.indexrelid join pg_class t on t.oid = ix.indrelid "
            + "join pg_namespace n on n.oid = t.relnamespace "
            + "where t.relkind in ('r', 'p', 'm') and not t.relispartition and " + USER_SCHEMA + " and "
            + notExtensionMember("pg_class", "t.oid")
            // indexes that back a primary key, unique or exclusion constraint are that constraint
            + " and not exists (select 1 from pg_constraint con where con.conindid = ix.indexrelid "
            + "and con.conrelid = ix.indrelid and con.contype in ('p', 'u', 'x'))";

    private static final String TRIGGERS = "select n.nspname, c.relname, tg.tgname, pg_get_triggerdef(tg.oid), "
            + "tg.tgenabled, quote_ident(tg.tgname), quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
            + "from pg_trigger tg join pg_class c on c.oid = tg.tgrelid join pg_namespace n on n.oid = c.relnamespace "
            + "where not tg.tgisinternal and not c.relispartition and " + USER_SCHEMA + " and "
            + notExtensionMember("pg_class", "c.oid");

    private static final String ROUTINES = "select n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), "
            + "p.prokind, pg_get_function_result(p.oid), l.lanname, p.provolatile, p.prosecdef, "
            + "case when p.prokind in ('f', 'p') then pg_get_functiondef(p.oid) else p.prosrc end "
            + "from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang "
            + "where " + USER_SCHEMA + " and " + notExtensionMember("pg_proc", "p.oid");

    @Override
    public Snapshot read(Connection connection, Scope scope, int timeout) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (var st = connection.createStatement()) {
                // one consistent view of the catalogs for all the queries below
                st.execute("set transaction isolation level repeatable read, read only");
            }
            return readAll(connection, scope, timeout);
        } finally {
            try {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            } catch (SQLException e) {
                // the connection broke during the snapshot: the failure already on its way says why
            }
        }
    }

    private Snapshot readAll(Connection c, Scope scope, int timeout) throws SQLException {
        List<SchemaObject> out = new ArrayList<>();
        Set<String> schemas = new HashSet<>();
        CatalogQueries.query(c, SCHEMAS, timeout, rs -> {
            String schema = rs.getString(1);
            if (scope.schemaIncluded(schema, true)) {
                schemas.add(schema);
                out.add(SchemaObject.schema(schema));
            }
        });
        Set<String> relations = new HashSet<>();
        CatalogQueries.query(c, RELATIONS, timeout, rs -> {
            String schema = rs.getString(1);
            String name = rs.getString(2);
            if (!schemas.contains(schema) || !scope.tableIncluded(schema, name)) {
                return;
            }
            relations.add(schema + "\u0000" + name);
            String kind = rs.getString(3);
            Map<String, Object> props = new LinkedHashMap<>();
            switch (kind) {
                case "p" -> props.put("partitioned", true);
                case "f" -> props.put("foreign", true);
                case "m" -> props.put("materialized", true);
                default -> {
                }
            }
            if ("u".equals(rs.getString(4))) {
                props.put("unlogged", true);
            }
            if (kind.equals("v") || kind.equals("m")) {
                out.add(SchemaObject.view(schema, name, SqlText.collapse(rs.getString(5)), props));
            } else {
                out.add(SchemaObject.table(schema, name, props));
            }
        });
        CatalogQueries.query(c, COLUMNS, timeout, rs -> {
            String schema = rs.getString(1);
            String table = rs.getString(2);
            if (!relations.contains(schema + "\u0000" + table)) {
                return;
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            String identity = rs.getString(7);
            String generated = rs.getString(8);
            String defaultValue = rs.getString(6);
            if ("a".equals(identity)) {
                extra.put("identity", "always");
            } else if ("d".equals(identity)) {
                extra.put("identity", "by default");
            }
            if ("s".equals(generated)) {
                // the generation expression lives in pg_attrdef like a default
                extra.put("generated", defaultValue);
                defaultValue = null;
            }
            if (rs.getString(9) != null) {
                extra.put("collation", rs.getString(9));
            }
            out.add(SchemaObject.column(schema, table, rs.getString(3), rs.getString(4), !rs.getBoolean(5),
                    defaultValue, extra));
        });
        CatalogQueries.query(c, CONSTRAINTS, timeout, rs -> {
            String schema = rs.getString(1);
            String table = rs.getString(2);
            if (!relations.contains(schema + "\u0000" + table)) {
                return;
            }
            String label = rs.getString(3);
            String definition = rs.getString(5);
            List<String> columns = split(rs.getString(6));
            Map<String, Object> extra = new LinkedHashMap<>();
            boolean validated = rs.getBoolean(14);
            if (!validated) {
                extra.put("validated", false);
            }
            if (rs.getBoolean(12)) {
                extra.put("deferrable", rs.getBoolean(13) ? "initially deferred" : "initially immediate");
            }
            switch (rs.getString(4)) {
                case "p" -> out.add(SchemaObject.primaryKey(schema, table, columns, label));
                case "u" -> out.add(SchemaObject.unique(schema, table, columns, label));
                case "x" -> out.add(SchemaObject.uniqueByDefinition(schema, table, definition, label));
                case "c" -> out.add(SchemaObject.check(schema, table, stripNotValid(definition), label, extra));
                case "f" -> out.add(SchemaObject.foreignKey(schema, table, columns, rs.getString(7), rs.getString(8),
                        split(rs.getString(9)), action(rs.getString(10)), action(rs.getString(11)), label, extra));
                default -> {
                }
            }
        });
        CatalogQueries.query(c, INDEXES, timeout, rs -> {
            String schema = rs.getString(1);
            String table = rs.getString(2);
            if (!relations.contains(schema + "\u0000" + table)) {
                return;
            }
            String def = rs.getString(4);
            int using = def.indexOf(" USING ");
            String body = using >= 0 ? def.substring(using + " USING ".length()) : def;
            Map<String, Object> props = new LinkedHashMap<>();
            if (!rs.getBoolean(6)) {
                props.put("valid", false);
            }
            out.add(SchemaObject.index(schema, table, (rs.getBoolean(5) ? "unique " : "") + body, rs.getString(3), props));
        });
        CatalogQueries.query(c, TRIGGERS, timeout, rs -> {
            String schema = rs.getString(1);
            String table = rs.getString(2);
            if (!relations.contains(schema + "\u0000" + table)) {
                return;
            }
            // CREATE [CONSTRAINT] TRIGGER name AFTER INSERT ON schema.table ... -> AFTER INSERT ON ...
            String def = rs.getString(4);
            String quotedName = rs.getString(6);
            String quotedTable = rs.getString(7);
            int at = def.indexOf("TRIGGER " + quotedName + " ");
            String body = at >= 0 ? def.substring(at + ("TRIGGER " + quotedName + " ").length()) : def;
            if (def.startsWith("CREATE CONSTRAINT TRIGGER")) {
                body = "CONSTRAINT " + body;
            }
            body = body.replace(" ON " + quotedTable + " ", " ON ");
            Map<String, Object> props = new LinkedHashMap<>();
            String enabled = rs.getString(5);
            props.put("enabled", switch (enabled) {
                case "D" -> "disabled";
                case "R" -> "replica";
                case "A" -> "always";
                default -> "origin";
            });
            out.add(SchemaObject.trigger(schema, table, rs.getString(3), body, props));
        });
        CatalogQueries.query(c, ROUTINES, timeout, rs -> {
            String schema = rs.getString(1);
            if (!schemas.contains(schema)) {
                return;
            }
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("kind", switch (rs.getString(4)) {
                case "p" -> "procedure";
                case "a" -> "aggregate";
                case "w" -> "window";
                default -> "function";
            });
            props.put("returns", rs.getString(5));
            props.put("language", rs.getString(6));
            props.put("volatility", switch (rs.getString(7)) {
                case "i" -> "immutable";
                case "s" -> "stable";
                default -> "volatile";
            });
            props.put("security_definer", rs.getBoolean(8));
            props.put("body_sha256", CatalogQueries.sha256(rs.getString(9)));
            out.add(SchemaObject.routine(schema, rs.getString(2) + "(" + rs.getString(3) + ")", props));
        });
        return Snapshot.of("postgresql", out);
    }

    private static String stripNotValid(String definition) {
        return definition.endsWith(" NOT VALID") ? definition.substring(0, definition.length() - " NOT VALID".length())
                : definition;
    }

    private static String action(String code) {
        return switch (code == null ? "" : code) {
            case "a" -> "NO ACTION";
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> null;
        };
    }

    private static List<String> split(String list) {
        return list == null ? List.of() : Arrays.asList(list.split(","));
    }
}
