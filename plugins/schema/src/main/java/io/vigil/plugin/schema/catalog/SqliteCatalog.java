package io.vigil.plugin.schema.catalog;

import io.vigil.plugin.schema.snapshot.SchemaObject;
import io.vigil.plugin.schema.snapshot.Snapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an SQLite file's {@code sqlite_master} and the {@code pragma_*} table functions. The
 * schema is {@code main}; attached databases are not read.
 *
 * <p>SQLite keeps no catalog of CHECK constraints, so they are parsed from the stored CREATE
 * TABLE text; index, trigger and view definitions are the stored text with the object's own name
 * cut off and white space collapsed. Declared types are lower-cased ({@code VARCHAR(50)} and
 * {@code varchar(50)} are one type to SQLite).
 */
final class SqliteCatalog implements CatalogReader {

    private static final String SCHEMA = "main";
    private static final Pattern VIEW_HEAD = Pattern.compile(
            "^CREATE\\s+(?:TEMP\\s+|TEMPORARY\\s+)?VIEW\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?.*?\\s+AS\\s+",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TRIGGER_HEAD = Pattern.compile(
            "^CREATE\\s+(?:TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:\"[^\"]*\"|`[^`]*`|\\[[^]]*]|\\S+)\\s+",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    @Override
    public Snapshot read(Connection c, Scope scope, int timeout) throws SQLException {
        List<SchemaObject> out = new ArrayList<>();
        if (!scope.schemaIncluded(SCHEMA, true)) {
            return Snapshot.of("sqlite", out);
        }
        out.add(SchemaObject.schema(SCHEMA));
        Map<String, String> tables = new TreeMap<>();
        Map<String, String> views = new TreeMap<>();
        Map<String, String[]> triggers = new TreeMap<>();
        Map<String, String> indexSql = new HashMap<>();
        CatalogQueries.query(c, "select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite\\_%' escape '\\'",
                timeout, rs -> {
                    String type = rs.getString(1);
                    String name = rs.getString(2);
                    String table = rs.getString(3);
                    String sql = rs.getString(4);
                    switch (type) {
                        case "table" -> {
                            if (scope.tableIncluded(SCHEMA, name)) {
                                tables.put(name, sql);
                            }
                        }
                        case "view" -> {
                            if (scope.tableIncluded(SCHEMA, name)) {
                                views.put(name, sql);
                            }
                        }
                        case "trigger" -> triggers.put(name, new String[] {table, sql});
                        case "index" -> indexSql.put(name, sql);
                        default -> {
                        }
                    }
                });
        for (Map.Entry<String, String> v : views.entrySet()) {
            out.add(SchemaObject.view(SCHEMA, v.getKey(), SqlText.collapse(VIEW_HEAD.matcher(v.getValue()).replaceFirst("")),
                    null));
            columns(c, v.getKey(), timeout, out, null);
        }
        for (Map.Entry<String, String> t : tables.entrySet()) {
            String table = t.getKey();
            Map<String, Object> props = new LinkedHashMap<>();
            String upper = SqlText.collapse(t.getValue()).toUpperCase(Locale.ROOT);
            if (upper.contains("WITHOUT ROWID")) {
                props.put("without_rowid", true);
            }
            if (upper.matches(".*\\)\\s*(WITHOUT ROWID\\s*,\\s*)?STRICT\\b.*")) {
                props.put("strict", true);
            }
            if (upper.contains("AUTOINCREMENT")) {
                props.put("autoincrement", true);
            }
            out.add(SchemaObject.table(SCHEMA, table, props));
            Map<Integer, String> pk = new TreeMap<>();
            columns(c, table, timeout, out, pk);
            if (!pk.isEmpty()) {
                out.add(SchemaObject.primaryKey(SCHEMA, table, new ArrayList<>(pk.values()), null));
            }
            for (String check : SqlText.checks(t.getValue())) {
                out.add(SchemaObject.check(SCHEMA, table, check, null, null));
            }
            indexes(c, table, timeout, indexSql, out);
            foreignKeys(c, table, timeout, out);
        }
        for (Map.Entry<String, String[]> tr : triggers.entrySet()) {
            String table = tr.getValue()[0];
            if (!tables.containsKey(table) && !views.containsKey(table)) {
                continue;
            }
            String body = SqlText.collapse(TRIGGER_HEAD.matcher(tr.getValue()[1]).replaceFirst(""));
            body = withoutTableName(body, table);
            out.add(SchemaObject.trigger(SCHEMA, table, tr.getKey(), body, null));
        }
        return Snapshot.of("sqlite", out);
    }

    private static void columns(Connection c, String table, int timeout, List<SchemaObject> out, Map<Integer, String> pk)
            throws SQLException {
        CatalogQueries.query(c, "select name, type, \"notnull\", dflt_value, pk, hidden from pragma_table_xinfo(?)",
                timeout, rs -> {
                    int hidden = rs.getInt(6);
                    if (hidden == 1) {
                        return; // hidden columns of virtual tables
                    }
                    Map<String, Object> extra = new LinkedHashMap<>();
                    if (hidden == 2 || hidden == 3) {
                        extra.put("generated", hidden == 3 ? "stored" : "virtual");
                    }
                    String type = SqlText.collapse(rs.getString(2)).toLowerCase(Locale.ROOT);
                    out.add(SchemaObject.column(SCHEMA, table, rs.getString(1), type, rs.getInt(3) == 0,
                            rs.getString(4), extra));
                    if (pk != null && rs.getInt(5) > 0) {
                        pk.put(rs.getInt(5), rs.getString(1));
                    }
                }, table);
    }

    private static void indexes(Connection c, String table, int timeout, Map<String, String> indexSql,
                                List<SchemaObject> out) throws SQLException {
        List<String[]> list = new ArrayList<>();
        CatalogQueries.query(c, "select name, \"unique\", origin from pragma_index_list(?)", timeout,
                rs -> list.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}), table);
        for (String[] ix : list) {
            String name = ix[0];
            boolean unique = "1".equals(ix[1]);
            switch (ix[2]) {
                case "u" -> {
                    List<String> cols = new ArrayList<>();
                    CatalogQueries.query(c, "select name from pragma_index_info(?) order by seqno", timeout,
                            rs -> cols.add(rs.getString(1)), name);
                    out.add(SchemaObject.unique(SCHEMA, table, cols, name));
                }
                case "c" -> {
                    String sql = indexSql.get(name);
                    String def = sql == null ? name : definitionAfterTable(sql);
                    out.add(SchemaObject.index(SCHEMA, table, (unique ? "unique " : "") + def, name, null));
                }
                default -> {
                    // "pk": the primary key's own index
                }
            }
        }
    }

    /** {@code CREATE INDEX ix ON t (a, b) WHERE x} -> {@code (a, b) WHERE x}. */
    private static String definitionAfterTable(String sql) {
        String collapsed = SqlText.collapse(sql);
        int on = collapsed.toUpperCase(Locale.ROOT).indexOf(" ON ");
        int open = collapsed.indexOf('(', on < 0 ? 0 : on);
        return open < 0 ? collapsed : collapsed.substring(open);
    }

    private static void foreignKeys(Connection c, String table, int timeout, List<SchemaObject> out) throws SQLException {
        Map<Integer, List<String[]>> byId = new TreeMap<>();
        CatalogQueries.query(c, "select id, seq, \"table\", \"from\", \"to\", on_update, on_delete, match "
                + "from pragma_foreign_key_list(?) order by id, seq", timeout,
                rs -> byId.computeIfAbsent(rs.getInt(1), x -> new ArrayList<>()).add(new String[] {
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)}), table);
        for (List<String[]> parts : byId.values()) {
            String refTable = parts.get(0)[0];
            List<String> cols = new ArrayList<>();
            List<String> refCols = new ArrayList<>();
            for (String[] p : parts) {
                cols.add(p[1]);
                refCols.add(p[2]);
            }
            if (refCols.stream().anyMatch(x -> x == null)) {
                // REFERENCES parent without a column list means the parent's primary key
                refCols = primaryKeyOf(c, refTable, timeout);
            }
            out.add(SchemaObject.foreignKey(SCHEMA, table, cols, SCHEMA, refTable, refCols, parts.get(0)[3],
                    parts.get(0)[4], null, null));
        }
    }

    private static List<String> primaryKeyOf(Connection c, String table, int timeout) throws SQLException {
        Map<Integer, String> pk = new TreeMap<>();
        CatalogQueries.query(c, "select name, pk from pragma_table_info(?) where pk > 0", timeout,
                rs -> pk.put(rs.getInt(2), rs.getString(1)), table);
        return new ArrayList<>(pk.values());
    }

    /** Drops the {@code ON table} of a trigger body so a renamed table keeps the same definition. */
    static String withoutTableName(String body, String table) {
        Matcher m = Pattern.compile("\\bON\\s+(?:\"" + Pattern.quote(table) + "\"|`" + Pattern.quote(table) + "`|\\["
                + Pattern.quote(table) + "]|" + Pattern.quote(table) + "\\b)\\s*", Pattern.CASE_INSENSITIVE).matcher(body);
        return m.find() ? body.substring(0, m.start()) + "ON " + body.substring(m.end()) : body;
    }
}
