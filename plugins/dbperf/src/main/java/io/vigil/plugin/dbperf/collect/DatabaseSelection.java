package io.vigil.plugin.dbperf.collect;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which databases of a server are reported: names matching an include glob (all when there is
 * none) and no exclude glob. Globs use {@code *} and {@code ?} and ignore case; excludes win.
 * Server-wide figures (connections of the whole server, checkpoints, replication) are reported
 * whatever the selection.
 */
public final class DatabaseSelection {

    private final List<Pattern> include;
    private final List<Pattern> exclude;

    /** A selection from include and exclude globs; empty lists select everything. */
    public DatabaseSelection(List<String> include, List<String> exclude) {
        this.include = include.stream().map(DatabaseSelection::glob).toList();
        this.exclude = exclude.stream().map(DatabaseSelection::glob).toList();
    }

    /** Everything. */
    public static DatabaseSelection all() {
        return new DatabaseSelection(List.of(), List.of());
    }

    /** Whether {@code database} is reported. */
    public boolean includes(String database) {
        if (database == null) {
            return false;
        }
        if (exclude.stream().anyMatch(p -> p.matcher(database).matches())) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(p -> p.matcher(database).matches());
    }

    /** Whether {@code name} matches the glob {@code pattern} (same rules as the selection). */
    public static boolean matches(String pattern, String name) {
        return glob(pattern).matcher(name).matches();
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    @Override
    public String toString() {
        return "include " + include + " exclude " + exclude.toString().toLowerCase(Locale.ROOT);
    }
}
