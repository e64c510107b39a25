package io.vigil.plugin.schema.catalog;

import io.vigil.plugin.schema.snapshot.SchemaObject;
import io.vigil.plugin.schema.snapshot.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads MariaDB's (and MySQL's) {@code information_schema}. A "schema" here is a database.
 *
 * <p>Normalised so that the same DDL gives the same snapshot on any server version: integer
 * display widths are dropped ({@code int(11)} is {@code int}; MySQL 8 no longer prints them),
 * MariaDB's {@code 'NULL'} default text is no default, view bodies lose the
 * {@code `database`.} qualifier the server adds. Unique indexes are unique constraints (the
 * engine does not tell them apart); the index MariaDB creates for a foreign key is an index.
 */
final class MariaDbCatalog implements CatalogReader {

    private static final Set<String> SYSTEM = Set.of("information_schema", "mysql", "performance_schema", "sys");
    private static final Pattern INT_WIDTH = Pattern.compile("^(tinyint|smallint|mediumint|int|integer|bigint)\\(\\d+\\)");

    @Override
    public Snapshot read(Connection c, Scope scope, int timeout) throws SQLException {
        String current = c.getCatalog();
        List<String> schemas = new ArrayList<>();
        CatalogQueries.query(c, "select SCHEMA_NAME from information_schema.SCHEMATA", timeout, rs -> {
            String s = rs.getString(1);
            boolean byDefault = !SYSTEM.contains(s.toLowerCase(Locale.ROOT))
                    && (current == null || current.isEmpty() || current.equals(s));
            if (scope.schemaIncluded(s, byDefault)) {
                schemas.add(s);
            }
        });
        List<SchemaObject> out = new ArrayList<>();
        schemas.forEach(s -> out.add(SchemaObject.schema(s)));
        if (schemas.isEmpty()) {
            return Snapshot.of("mariadb", schemas.contains(current) ? current : null, out);
        }
        String in = " in (" + String.join(", ", schemas.stream().map(s -> "?").toList()) + ")";
        Object[] params = schemas.toArray();

        Set<String> relations = new HashSet<>();
        Map<String, String> viewDefs = new HashMap<>();
        CatalogQueries.query(c, "select TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION "
                + "from information_schema.VIEWS where TABLE_SCHEMA" + in, timeout, rs -> {
                    String def = SqlText.collapse(SqlText.stripQualifier(rs.getString(3), rs.getString(1)));
                    String option = rs.getString(4);
                    viewDefs.put(rel(rs.getString(1), rs.getString(2)),
                            option == null || option.equals("NONE") ? def : def + " WITH " + option + " CHECK OPTION");
                }, params);
        CatalogQueries.query(c, "select TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE from information_schema.TABLES "
                + "where TABLE_SCHEMA" + in, timeout, rs -> {
                    String schema = rs.getString(1);
                    String name = rs.getString(2);
                    String type = rs.getString(3);
                    if (!scope.tableIncluded(schema, name)) {
                        return;
                    }
                    Map<String, Object> props = new LinkedHashMap<>();
                    switch (type) {
                        case "VIEW" -> {
                            relations.add(rel(schema, name));
                            out.add(SchemaObject.view(schema, name, viewDefs.get(rel(schema, name)), props));
                        }
                        case "BASE TABLE", "SYSTEM VERSIONED" -> {
                            relations.add(rel(schema, name));
                            if (rs.getString(4) != null) {
                                props.put("engine", rs.getString(4));
                            }
                            if (type.equals("SYSTEM VERSIONED")) {
                                props.put("system_versioned", true);
                            }
                            out.add(SchemaObject.table(schema, name, props));
                        }
                        default -> {
                            // sequences and temporary tables are not tracked
                        }
                    }
                }, params);
        CatalogQueries.query(c, "select TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, "
                + "EXTRA, GENERATION_EXPRESSION from information_schema.COLUMNS where TABLE_SCHEMA" + in, timeout, rs -> {
                    String schema = rs.getString(1);
                    String table = rs.getString(2);
                    if (!relations.contains(rel(schema, table))) {
                        return;
                    }
                    String dflt = rs.getString(6);
                    if ("NULL".equals(dflt)) {
                        dflt = null;
                    }
                    Map<String, Object> extra = new LinkedHashMap<>();
                    String ex = rs.getString(7) == null ? "" : rs.getString(7).trim();
                    String lowerEx = ex.toLowerCase(Locale.ROOT);
                    if (lowerEx.contains("generated")) {
                        extra.put("generated", rs.getString(8) + (lowerEx.contains("stored") ? " stored" : " virtual"));
                        dflt = null;
                    } else if (lowerEx.contains("auto_increment")) {
                        extra.put("identity", "auto_increment");
                    } else if (lowerEx.startsWith("on update ")) {
                        extra.put("on_update", ex.substring("on update ".length()));
                    } else if (!ex.isEmpty()) {
                        extra.put("extra", lowerEx);
                    }
                    out.add(SchemaObject.column(schema, table, rs.getString(3), type(rs.getString(4)),
                            "YES".equals(rs.getString(5)), dflt, extra));
                }, params);

        // keys: PRIMARY KEY, UNIQUE and FOREIGN KEY from TABLE_CONSTRAINTS + KEY_COLUMN_USAGE
        Map<String, String> constraintTypes = new HashMap<>();
        CatalogQueries.query(c, "select CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE "
                + "from information_schema.TABLE_CONSTRAINTS where CONSTRAINT_SCHEMA" + in, timeout,
                rs -> constraintTypes.put(rel(rs.getString(1), rs.getString(2)) + "\u0000" + rs.getString(3),
                        rs.getString(4)), params);
        Map<String, String[]> rules = new HashMap<>();
        CatalogQueries.query(c, "select CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE "
                + "from information_schema.REFERENTIAL_CONSTRAINTS where CONSTRAINT_SCHEMA" + in, timeout,
                rs -> rules.put(rel(rs.getString(1), rs.getString(2)) + "\u0000" + rs.getString(3),
                        new String[] {rs.getString(4), rs.getString(5)}), params);
        Map<String, KeyParts> keys = new TreeMap<>();
        CatalogQueries.query(c, "select CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, "
                + "REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME "
                + "from information_schema.KEY_COLUMN_USAGE where CONSTRAINT_SCHEMA" + in
                + " order by CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION", timeout, rs -> {
                    String id = rel(rs.getString(1), rs.getString(2)) + "\u0000" + rs.getString(3);
                    KeyParts k = keys.computeIfAbsent(id, x -> new KeyParts());
                    k.schema = rs.getString(1);
                    k.table = rs.getString(2);
                    k.name = rs.getString(3);
                    k.columns.add(rs.getString(4));
                    if (rs.getString(6) != null) {
                        k.refSchema = rs.getString(5);
                        k.refTable = rs.getString(6);
                        k.refColumns.add(rs.getString(7));
                    }
                }, params);
        keys.forEach((id, k) -> {
            if (!relations.contains(rel(k.schema, k.table))) {
                return;
            }
            String type = constraintTypes.getOrDefault(id, "");
            switch (type) {
                case "PRIMARY KEY" -> out.add(SchemaObject.primaryKey(k.schema, k.table, k.columns, k.name));
                case "UNIQUE" -> out.add(SchemaObject.unique(k.schema, k.table, k.columns, k.name));
                case "FOREIGN KEY" -> {
                    String[] r = rules.getOrDefault(id, new String[] {"RESTRICT", "RESTRICT"});
                    out.add(SchemaObject.foreignKey(k.schema, k.table, k.columns, k.refSchema, k.refTable,
                            k.refColumns, r[0], r[1], k.name, null));
                }
                default -> {
                }
            }
        });
        CatalogQueries.query(c, "select CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE "
                + "from information_schema.CHECK_CONSTRAINTS where CONSTRAINT_SCHEMA" + in, timeout, rs -> {
                    if (relations.contains(rel(rs.getString(1), rs.getString(2)))) {
                        out.add(SchemaObject.check(rs.getString(1), rs.getString(2), SqlText.collapse(rs.getString(4)),
                                rs.getString(3), null));
                    }
                }, params);

        // indexes that are not keys: unique ones are UNIQUE constraints above
        Map<String, IndexParts> indexes = new TreeMap<>();
        CatalogQueries.query(c, "select TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, COLUMN_NAME, SUB_PART, INDEX_TYPE, COLLATION "
                + "from information_schema.STATISTICS where NON_UNIQUE = 1 and TABLE_SCHEMA" + in
                + " order by TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", timeout, rs -> {
                    IndexParts ix = indexes.computeIfAbsent(rel(rs.getString(1), rs.getString(2)) + "\u0000"
                            + rs.getString(3), x -> new IndexParts());
                    ix.schema = rs.getString(1);
                    ix.table = rs.getString(2);
                    ix.name = rs.getString(3);
                    ix.type = rs.getString(6).toLowerCase(Locale.ROOT);
                    String col = rs.getString(4) + (rs.getString(5) != null ? "(" + rs.getString(5) + ")" : "");
                    ix.columns.add("D".equals(rs.getString(7)) ? col + " desc" : col);
                }, params);
        indexes.values().forEach(ix -> {
            if (relations.contains(rel(ix.schema, ix.table))) {
                out.add(SchemaObject.index(ix.schema, ix.table, ix.type + " (" + String.join(", ", ix.columns) + ")",
                        ix.name, null));
            }
        });

        CatalogQueries.query(c, "select EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, "
                + "EVENT_MANIPULATION, ACTION_ORIENTATION, ACTION_STATEMENT from information_schema.TRIGGERS "
                + "where EVENT_OBJECT_SCHEMA" + in, timeout, rs -> {
                    if (relations.contains(rel(rs.getString(1), rs.getString(2)))) {
                        out.add(SchemaObject.trigger(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4) + " " + rs.getString(5) + " FOR EACH " + rs.getString(6) + " "
                                        + SqlText.collapse(rs.getString(7)), null));
                    }
                }, params);

        Map<String, List<String[]>> parameters = new HashMap<>();
        CatalogQueries.query(c, "select SPECIFIC_SCHEMA, SPECIFIC_NAME, PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER "
                + "from information_schema.PARAMETERS where ORDINAL_POSITION > 0 and SPECIFIC_SCHEMA" + in
                + " order by SPECIFIC_SCHEMA, SPECIFIC_NAME, ORDINAL_POSITION", timeout,
                rs -> parameters.computeIfAbsent(rel(rs.getString(1), rs.getString(2)), x -> new ArrayList<>())
                        .add(new String[] {rs.getString(3), rs.getString(4), type(rs.getString(5))}), params);
        CatalogQueries.query(c, "select ROUTINE_SCHEMA, ROUTINE_NAME, SPECIFIC_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, "
                + "ROUTINE_DEFINITION, IS_DETERMINISTIC, SECURITY_TYPE, SQL_DATA_ACCESS "
                + "from information_schema.ROUTINES where ROUTINE_SCHEMA" + in, timeout, rs -> {
                    List<String[]> args = parameters.getOrDefault(rel(rs.getString(1), rs.getString(3)), List.of());
                    Map<String, Object> props = new LinkedHashMap<>();
                    props.put("kind", rs.getString(4).toLowerCase(Locale.ROOT));
                    props.put("returns", rs.getString(5) == null ? null : type(rs.getString(5)));
                    props.put("arguments", String.join(", ", args.stream().map(a -> (a[0] == null ? "" : a[0] + " ")
                            + a[1] + " " + a[2]).toList()));
                    props.put("deterministic", "YES".equals(rs.getString(7)));
                    props.put("security", rs.getString(8));
                    props.put("data_access", rs.getString(9));
                    props.put("body_sha256", CatalogQueries.sha256(rs.getString(6)));
                    String signature = rs.getString(2) + "(" + String.join(", ", args.stream().map(a -> a[2]).toList()) + ")";
                    out.add(SchemaObject.routine(rs.getString(1), signature, props));
                }, params);
        return Snapshot.of("mariadb", schemas.contains(current) ? current : null, out);
    }

    /** Lower case, integer display widths dropped. */
    static String type(String columnType) {
        String t = columnType.trim().toLowerCase(Locale.ROOT);
        return INT_WIDTH.matcher(t).replaceFirst("$1");
    }

    private static String rel(String schema, String name) {
        return schema + "\u0000" + name;
    }

    private static final class KeyParts {
        String schema;
        String table;
        String name;
        final List<String> columns = new ArrayList<>();
        String refSchema;
        String refTable;
        final List<String> refColumns = new ArrayList<>();
    }

    private static final class IndexParts {
        String schema;
        String table;
        String name;
        String type;
        final List<String> columns = new ArrayList<>();
    }
}
