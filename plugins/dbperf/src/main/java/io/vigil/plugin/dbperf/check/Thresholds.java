package io.vigil.plugin.dbperf.check;

import io.vigil.api.Options;
import io.vigil.plugin.dbperf.collect.DatabaseSelection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The limit of each {@link Check}: the option's value, unless the check is not listed in
 * {@code checks}, or an entry of {@code overrides} matches the database.
 *
 * <p>{@code overrides} maps a database name (or glob) to a list of {@code option=value} pairs
 * separated by commas, {@code off} turning the check off for that database:
 * <pre>{@code
 * overrides:
 *   analytics: "transaction_age_max=2h, size_growth_pct_max=off"
 *   "tenant_*": "deadlocks_max=5"
 * }</pre>
 * An exact name wins over a glob; among globs the first listed wins. Immutable.
 */
public final class Thresholds {

    private final Map<Check, Double> limits;
    private final Map<String, Map<Check, Double>> overrides;

    private Thresholds(Map<Check, Double> limits, Map<String, Map<Check, Double>> overrides) {
        this.limits = limits;
        this.overrides = overrides;
    }

    /**
     * Reads the limits from the monitor's options.
     *
     * @throws IllegalArgumentException listing every problem in {@code checks} and {@code overrides}
     */
    public static Thresholds from(Options options) {
        List<String> problems = new ArrayList<>();
        Map<Check, Double> limits = new EnumMap<>(Check.class);
        List<String> enabled = options.list("checks");
        for (String id : enabled) {
            if (Arrays.stream(Check.values()).noneMatch(c -> c.id().equals(id))) {
                problems.add("checks: unknown check \"" + id + "\" (the checks are " + ids() + ")");
            }
        }
        for (Check c : Check.values()) {
            double limit = enabled.contains(c.id()) ? c.limitOf(value(options, c)) : Double.NaN;
            limits.put(c, limit);
        }
        Map<String, Map<Check, Double>> overrides = new LinkedHashMap<>();
        if (options.isSet("overrides")) {
            options.map("overrides").forEach((database, text) -> {
                Map<Check, Double> own = new EnumMap<>(Check.class);
                for (String pair : text.split(",")) {
                    if (pair.isBlank()) {
                        continue;
                    }
                    String where = "overrides." + database + ": ";
                    int eq = pair.indexOf('=');
                    if (eq < 0) {
                        problems.add(where + "expected option=value, got \"" + pair.trim() + "\"");
                        continue;
                    }
                    String name = pair.substring(0, eq).trim();
                    String raw = pair.substring(eq + 1).trim();
                    Check check = Arrays.stream(Check.values()).filter(c -> c.option().equals(name)).findFirst()
                            .orElse(null);
                    if (check == null) {
                        problems.add(where + "\"" + name + "\" cannot be set per database (these can: "
                                + perDatabaseOptions() + ")");
                        continue;
                    }
                    if (!check.perDatabase()) {
                        problems.add(where + name + " is measured for the whole server, not per database");
                        continue;
                    }
                    if (raw.toLowerCase(Locale.ROOT).equals("off")) {
                        own.put(check, Double.NaN);
                        continue;
                    }
                    try {
                        own.put(check, check.limitOf(check.type().parse(raw)));
                    } catch (IllegalArgumentException e) {
                        problems.add(where + name + " " + e.getMessage());
                    }
                }
                overrides.put(database, own);
            });
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new Thresholds(limits, overrides);
    }

    private static Object value(Options options, Check c) {
        return switch (c.type()) {
            case DURATION -> options.duration(c.option());
            case INTEGER -> options.integer(c.option());
            default -> options.decimal(c.option());
        };
    }

    /**
     * The limit of {@code check} for {@code database} ({@code null}: the server), in the check's
     * unit, or NaN when the check is off there.
     */
    public double limit(Check check, String database) {
        if (database != null && check.perDatabase()) {
            Map<Check, Double> exact = overrides.get(database);
            if (exact != null && exact.containsKey(check)) {
                return exact.get(check);
            }
            for (Map.Entry<String, Map<Check, Double>> e : overrides.entrySet()) {
                if (!e.getKey().equals(database) && DatabaseSelection.matches(e.getKey(), database)
                        && e.getValue().containsKey(check)) {
                    return e.getValue().get(check);
                }
            }
        }
        return limits.get(check);
    }

    private static String ids() {
        return Arrays.stream(Check.values()).map(Check::id).collect(Collectors.joining(", "));
    }

    private static String perDatabaseOptions() {
        return Arrays.stream(Check.values()).filter(Check::perDatabase).map(Check::option)
                .collect(Collectors.joining(", "));
    }
}
