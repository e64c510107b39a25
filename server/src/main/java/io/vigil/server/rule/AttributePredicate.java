package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A condition on one attribute of an event: {@code exit_code: {ne: 0}}, {@code planned: false},
 * {@code per_cpu: {gte: 2.5}}, {@code database_kind: {in: [postgres, mysql]}},
 * {@code path: {matches: "/etc/.*"}}, {@code container: {exists: true}}. A dotted name goes down into
 * nested objects ({@code engine.version}). Numbers compare as numbers (a numeric string counts as
 * its number); everything else compares as text, booleans and null as themselves.
 *
 * @param path    the attribute's name, split at dots
 * @param op      eq, ne, gt, gte, lt, lte, in, matches, exists
 * @param operand the value compared with (a list for {@code in}, a Pattern for {@code matches})
 */
public record AttributePredicate(List<String> path, String op, @Nullable Object operand) {

    /** The operators, in the order the documentation lists them. */
    public static final List<String> OPERATORS = List.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "matches", "exists");

    public boolean test(Map<String, Object> attributes) {
        Object v = attributes;
        boolean present = true;
        for (String key : path) {
            if (v instanceof Map<?, ?> map && map.containsKey(key)) {
                v = map.get(key);
            } else {
                v = null;
                present = false;
                break;
            }
        }
        final Object actual = v;
        final boolean found = present;
        return switch (op) {
            case "exists" -> found == (Boolean) operand;
            case "eq" -> found && same(actual, operand);
            case "ne" -> !found || !same(actual, operand);
            case "in" -> found && ((List<?>) operand).stream().anyMatch(o -> same(actual, o));
            case "matches" -> found && actual != null && ((Pattern) operand).matcher(actual.toString()).matches();
            default -> {
                BigDecimal a = number(actual);
                BigDecimal b = number(operand);
                if (a == null || b == null) {
                    yield false;
                }
                int c = a.compareTo(b);
                yield switch (op) {
                    case "gt" -> c > 0;
                    case "gte" -> c >= 0;
                    case "lt" -> c < 0;
                    default -> c <= 0;
                };
            }
        };
    }

    private static boolean same(@Nullable Object actual, @Nullable Object expected) {
        if (actual == null || expected == null) {
            return actual == null && expected == null;
        }
        if (expected instanceof Number || actual instanceof Number) {
            BigDecimal a = number(actual);
            BigDecimal b = number(expected);
            if (a != null && b != null) {
                return a.compareTo(b) == 0;
            }
        }
        if (expected instanceof Boolean || actual instanceof Boolean) {
            return Objects.equals(actual.toString(), expected.toString());
        }
        return actual.toString().equals(expected.toString());
    }

    static @Nullable BigDecimal number(@Nullable Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (v instanceof Float f) {
            return Float.isFinite(f) ? BigDecimal.valueOf(f) : null;
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
