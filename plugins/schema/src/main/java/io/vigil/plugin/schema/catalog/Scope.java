package io.vigil.plugin.schema.catalog;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which schemas and tables a snapshot covers, from the include and exclude options. Patterns are
 * globs ({@code *} any run of characters, {@code ?} one character), matched case-insensitively.
 * A table pattern with a dot matches {@code schema.table}, one without matches the table name.
 * Excludes win over includes. Table patterns apply to tables and views and everything that
 * belongs to them; routines are filtered by schema only.
 *
 * @param includeSchemas schemas to cover; empty means the engine's default (PostgreSQL: every
 *                       non-system schema; MariaDB: the URL's database, or every non-system
 *                       database when the URL names none; SQLite: {@code main})
 * @param excludeSchemas schemas to leave out
 * @param includeTables  tables and views to cover; empty means all
 * @param excludeTables  tables and views to leave out
 */
public record Scope(List<String> includeSchemas, List<String> excludeSchemas, List<String> includeTables,
                    List<String> excludeTables) {

    /** Copies the lists. */
    public Scope {
        includeSchemas = List.copyOf(includeSchemas);
        excludeSchemas = List.copyOf(excludeSchemas);
        includeTables = List.copyOf(includeTables);
        excludeTables = List.copyOf(excludeTables);
    }

    /** Everything the engine's default covers. */
    public static Scope everything() {
        return new Scope(List.of(), List.of(), List.of(), List.of());
    }

    /** Whether the schema was named by {@code include_schemas} (false when that is empty). */
    public boolean schemasListed() {
        return !includeSchemas.isEmpty();
    }

    /** Whether a schema is covered, given that the engine's default would cover it or not. */
    public boolean schemaIncluded(String schema, boolean coveredByDefault) {
        if (matchesAny(excludeSchemas, schema)) {
            return false;
        }
        return includeSchemas.isEmpty() ? coveredByDefault : matchesAny(includeSchemas, schema);
    }

    /** Whether a table or view of an included schema is covered. */
    public boolean tableIncluded(String schema, String table) {
        String qualified = schema + "." + table;
        if (matchesAnyTable(excludeTables, table, qualified)) {
            return false;
        }
        return includeTables.isEmpty() || matchesAnyTable(includeTables, table, qualified);
    }

    private static boolean matchesAnyTable(List<String> patterns, String table, String qualified) {
        for (String p : patterns) {
            if (glob(p).matcher(p.contains(".") ? qualified : table).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAny(List<String> patterns, String value) {
        for (String p : patterns) {
            if (glob(p).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /** A stable text of the settings, stored with the baseline: a different scope starts a new baseline. */
    public String fingerprint() {
        return "include_schemas=" + lower(includeSchemas) + ";exclude_schemas=" + lower(excludeSchemas)
                + ";include_tables=" + lower(includeTables) + ";exclude_tables=" + lower(excludeTables);
    }

    private static List<String> lower(List<String> l) {
        return l.stream().map(s -> s.toLowerCase(Locale.ROOT)).sorted().toList();
    }
}
