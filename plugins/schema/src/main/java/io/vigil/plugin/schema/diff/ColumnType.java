package io.vigil.plugin.schema.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type as PostgreSQL, MariaDB or SQLite print it, understood well enough to tell whether
 * changing one into another can lose data (narrowing), cannot (widening), or converts between
 * kinds of value (changed).
 */
final class ColumnType {

    /** How a type change relates the old type to the new one. */
    enum Change {
        SAME, WIDENED, NARROWED, CHANGED
    }

    private enum Family {
        INTEGER, DECIMAL, FLOAT, TEXT, BINARY, TIME, ENUM, OTHER
    }

    private static final Pattern PARAMS = Pattern.compile("\\(([^)]*)\\)");
    private static final long UNLIMITED = Long.MAX_VALUE;

    private static final Map<String, Integer> INTEGER_BYTES = Map.ofEntries(
            Map.entry("tinyint", 1), Map.entry("smallint", 2), Map.entry("int2", 2), Map.entry("mediumint", 3),
            Map.entry("int", 4), Map.entry("integer", 4), Map.entry("int4", 4), Map.entry("bigint", 8),
            Map.entry("int8", 8));
    private static final Map<String, Integer> FLOAT_BYTES = Map.of("real", 4, "float4", 4, "float", 4,
            "double precision", 8, "float8", 8, "double", 8);
    private static final Map<String, Long> TEXT_LIMITS = Map.ofEntries(
            Map.entry("text", UNLIMITED), Map.entry("character varying", UNLIMITED), Map.entry("varchar", UNLIMITED),
            Map.entry("character", 1L), Map.entry("char", 1L), Map.entry("bpchar", UNLIMITED),
            Map.entry("nvarchar", UNLIMITED), Map.entry("nchar", 1L), Map.entry("clob", UNLIMITED),
            Map.entry("tinytext", 255L), Map.entry("mediumtext", 16_777_215L), Map.entry("longtext", 4_294_967_295L));
    private static final Map<String, Long> BINARY_LIMITS = Map.of("bytea", UNLIMITED, "blob", 65_535L,
            "tinyblob", 255L, "mediumblob", 16_777_215L, "longblob", 4_294_967_295L, "varbinary", UNLIMITED,
            "binary", 1L);
    /** Decimal digits an integer of N bytes needs: for integer -> numeric(p, s). */
    private static final int[] INTEGER_DIGITS = {0, 3, 5, 8, 10, 0, 0, 0, 19};

    private final String text;
    private final Family family;
    private final String base;
    private final boolean unsigned;
    private final boolean array;
    private final List<String> params;

    private ColumnType(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        this.text = t;
        boolean arr = t.endsWith("[]");
        while (t.endsWith("[]")) {
            t = t.substring(0, t.length() - 2);
        }
        this.array = arr;
        List<String> ps = new ArrayList<>();
        Matcher m = PARAMS.matcher(t);
        if (m.find()) {
            for (String p : m.group(1).split(",")) {
                ps.add(p.trim());
            }
            t = (t.substring(0, m.start()) + t.substring(m.end())).trim().replaceAll("\\s+", " ");
        }
        this.params = ps;
        boolean uns = t.contains(" unsigned");
        t = t.replace(" unsigned", "").replace(" zerofill", "").trim();
        this.unsigned = uns;
        this.base = t;
        this.family = familyOf(t);
    }

    static ColumnType parse(String text) {
        return new ColumnType(text);
    }

    private static Family familyOf(String base) {
        if (INTEGER_BYTES.containsKey(base)) {
            return Family.INTEGER;
        }
        if (base.equals("numeric") || base.equals("decimal") || base.equals("dec") || base.equals("number")) {
            return Family.DECIMAL;
        }
        if (FLOAT_BYTES.containsKey(base)) {
            return Family.FLOAT;
        }
        if (TEXT_LIMITS.containsKey(base)) {
            return Family.TEXT;
        }
        if (BINARY_LIMITS.containsKey(base)) {
            return Family.BINARY;
        }
        if (base.startsWith("timestamp") || base.startsWith("time") || base.equals("datetime")
                || base.startsWith("interval")) {
            return Family.TIME;
        }
        if (base.equals("enum") || base.equals("set")) {
            return Family.ENUM;
        }
        return Family.OTHER;
    }

    /**
     * How going from {@code before} to {@code after} changes what the column can hold.
     *
     * @param engine {@code postgresql}, {@code mariadb} or {@code sqlite}: {@code text} is
     *               unlimited in PostgreSQL and 64 KiB in MariaDB, a {@code timestamp} without
     *               precision keeps microseconds in PostgreSQL and whole seconds in MariaDB
     */
    static Change compare(String before, String after, String engine) {
        boolean mariadb = "mariadb".equals(engine);
        int defaultFractionalDigits = "postgresql".equals(engine) ? 6 : 0;
        ColumnType a = parse(before);
        ColumnType b = parse(after);
        if (a.text.equals(b.text)) {
            return Change.SAME;
        }
        if (a.array != b.array) {
            return Change.CHANGED;
        }
        if (a.family == Family.INTEGER && b.family == Family.INTEGER) {
            return integer(a, b);
        }
        if (a.family == Family.INTEGER && b.family == Family.DECIMAL) {
            int digits = INTEGER_DIGITS[INTEGER_BYTES.get(a.base)] + (a.unsigned ? 1 : 0);
            long[] ps = b.precisionScale();
            return ps[0] == UNLIMITED || ps[0] - ps[1] >= digits ? Change.WIDENED : Change.NARROWED;
        }
        if (a.family == Family.INTEGER && b.family == Family.FLOAT) {
            // a double holds every integer of up to 53 bits exactly, a real up to 24
            int bits = INTEGER_BYTES.get(a.base) * 8;
            return bits <= (FLOAT_BYTES.get(b.base) == 8 ? 53 : 24) ? Change.WIDENED : Change.NARROWED;
        }
        if (a.family == Family.DECIMAL && b.family == Family.DECIMAL) {
            long[] x = a.precisionScale();
            long[] y = b.precisionScale();
            if (y[0] == UNLIMITED) {
                return Change.WIDENED;
            }
            if (x[0] == UNLIMITED) {
                return Change.NARROWED;
            }
            boolean keepsIntegerDigits = y[0] - y[1] >= x[0] - x[1];
            boolean keepsFraction = y[1] >= x[1];
            return keepsIntegerDigits && keepsFraction ? Change.WIDENED : Change.NARROWED;
        }
        if (a.family == Family.FLOAT && b.family == Family.FLOAT) {
            return FLOAT_BYTES.get(b.base) >= FLOAT_BYTES.get(a.base) ? Change.WIDENED : Change.NARROWED;
        }
        if (a.family == Family.TEXT && b.family == Family.TEXT
                || a.family == Family.BINARY && b.family == Family.BINARY) {
            long x = a.length(mariadb);
            long y = b.length(mariadb);
            return y >= x ? Change.WIDENED : Change.NARROWED;
        }
        if (a.family == Family.TIME && b.family == Family.TIME && a.base.equals(b.base)) {
            return b.fractionalDigits(defaultFractionalDigits) >= a.fractionalDigits(defaultFractionalDigits)
                    ? Change.WIDENED : Change.NARROWED;
        }
        if (a.family == Family.ENUM && b.family == Family.ENUM && a.base.equals(b.base)) {
            return b.params.containsAll(a.params) ? Change.WIDENED : Change.NARROWED;
        }
        return Change.CHANGED;
    }

    private static Change integer(ColumnType a, ColumnType b) {
        int x = INTEGER_BYTES.get(a.base);
        int y = INTEGER_BYTES.get(b.base);
        boolean holds;
        if (a.unsigned) {
            holds = b.unsigned ? y >= x : y > x;
        } else {
            holds = !b.unsigned && y >= x;
        }
        return holds ? Change.WIDENED : Change.NARROWED;
    }

    /** {precision, scale}; precision {@link #UNLIMITED} for an unconstrained numeric. */
    private long[] precisionScale() {
        if (params.isEmpty() || params.get(0).isEmpty()) {
            // PostgreSQL: numeric without precision is unlimited; MariaDB always prints (p,s)
            return new long[] {UNLIMITED, 0};
        }
        long p = Long.parseLong(params.get(0));
        long s = params.size() > 1 ? Long.parseLong(params.get(1)) : 0;
        return new long[] {p, s};
    }

    private long length(boolean mariadb) {
        long dflt = family == Family.TEXT ? TEXT_LIMITS.get(base) : BINARY_LIMITS.get(base);
        if (mariadb && base.equals("text")) {
            dflt = 65_535L;
        }
        if (!params.isEmpty() && params.get(0).matches("\\d+")) {
            return Long.parseLong(params.get(0));
        }
        return dflt;
    }

    private int fractionalDigits(int dflt) {
        if (!params.isEmpty() && params.get(0).matches("\\d+")) {
            return Integer.parseInt(params.get(0));
        }
        return dflt;
    }

    @Override
    public String toString() {
        return text + " (" + family + " " + base + (unsigned ? " unsigned" : "") + " " + params
                + (array ? " array" : "") + ")";
    }
}
