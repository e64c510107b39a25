package io.vigil.plugin.schema.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Normalising SQL text that engines return as written (SQLite's {@code sqlite_schema.sql},
 * MariaDB's view and trigger bodies): white space outside quotes collapsed, and the pieces
 * (CHECK expressions, column lists) found without being fooled by quotes or nested parentheses.
 */
final class SqlText {

    private SqlText() {
    }

    /** Collapses runs of white space outside quotes to one space and trims. */
    static String collapse(String sql) {
        if (sql == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        char quote = 0;
        boolean space = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                quote = c == '[' ? ']' : c;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The index of the parenthesis closing the one at {@code open}, or -1. */
    static int closing(String sql, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'', '"', '`' -> quote = c;
                case '[' -> quote = ']';
                case '(' -> depth++;
                case ')' -> {
                    if (--depth == 0) {
                        return i;
                    }
                }
                default -> {
                }
            }
        }
        return -1;
    }

    /**
     * The expressions of every {@code CHECK (...)} in a CREATE TABLE statement, column or table
     * level, white space collapsed.
     */
    static List<String> checks(String createTable) {
        List<String> out = new ArrayList<>();
        if (createTable == null) {
            return out;
        }
        String sql = createTable;
        String upper = sql.toUpperCase(Locale.ROOT);
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                continue;
            }
            if (c == '[') {
                quote = ']';
                continue;
            }
            if (upper.startsWith("CHECK", i) && (i == 0 || !isWordChar(sql.charAt(i - 1)))
                    && (i + 5 >= sql.length() || !isWordChar(sql.charAt(i + 5)))) {
                int open = i + 5;
                while (open < sql.length() && Character.isWhitespace(sql.charAt(open))) {
                    open++;
                }
                if (open < sql.length() && sql.charAt(open) == '(') {
                    int close = closing(sql, open);
                    if (close > open) {
                        out.add(collapse(sql.substring(open + 1, close)));
                        i = close;
                    }
                }
            }
        }
        return out;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** Removes {@code `qualifier`.} and {@code "qualifier".} prefixes (MariaDB qualifies view bodies with the database). */
    static String stripQualifier(String sql, String qualifier) {
        if (sql == null) {
            return null;
        }
        return sql.replace("`" + qualifier + "`.", "").replace("\"" + qualifier + "\".", "");
    }
}
