package io.vigil.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a monitor option, and how a value written in YAML becomes a Java value.
 *
 * <p>The agent converts each configured value with {@link #parse(Object)} before the monitor is
 * created, so a monitor never sees a value of the wrong type; the {@link IllegalArgumentException}
 * message is what the operator reads, after the file, line and key path.
 */
public enum OptionType {
    /** Text; numbers and booleans written in YAML are taken as their text. Java type {@link String}. */
    STRING("a string"),
    /** A whole number. Java type {@link Long}. */
    INTEGER("an integer"),
    /** A number. Java type {@link Double}. */
    DECIMAL("a number"),
    /** {@code true} or {@code false}. Java type {@link Boolean}. */
    BOOLEAN("true or false"),
    /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 7d}. Java type {@link Duration}. */
    DURATION("a duration like 30s"),
    /** A list of strings. Java type {@code List<String>}. */
    STRING_LIST("a list of strings"),
    /** A map of string keys to string values. Java type {@code Map<String, String>}. */
    STRING_MAP("a map of strings");

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final String expected;

    OptionType(String expected) {
        this.expected = expected;
    }

    /** What a value of this type looks like, for error messages ({@code "a duration like 30s"}). */
    public String expected() {
        return expected;
    }

    /**
     * Converts a value as YAML or JSON delivers it (String, Number, Boolean, List, Map) to this
     * type's Java type.
     *
     * @throws IllegalArgumentException saying what was expected and what was found
     */
    public Object parse(Object raw) {
        if (raw == null) {
            throw mismatch(null);
        }
        switch (this) {
            case STRING:
                if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
                    return raw.toString();
                }
                throw mismatch(raw);
            case INTEGER:
                if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
                    return ((Number) raw).longValue();
                }
                if (raw instanceof String s && s.trim().matches("-?\\d{1,18}")) {
                    return Long.parseLong(s.trim());
                }
                throw mismatch(raw);
            case DECIMAL:
                if (raw instanceof Number n && Double.isFinite(n.doubleValue())) {
                    return n.doubleValue();
                }
                if (raw instanceof String s) {
                    try {
                        double d = Double.parseDouble(s.trim());
                        if (Double.isFinite(d)) {
                            return d;
                        }
                    } catch (NumberFormatException ignored) {
                        // reported below
                    }
                }
                throw mismatch(raw);
            case BOOLEAN:
                if (raw instanceof Boolean b) {
                    return b;
                }
                if (raw instanceof String s && (s.equals("true") || s.equals("false"))) {
                    return Boolean.valueOf(s);
                }
                throw mismatch(raw);
            case DURATION:
                return parseDuration(raw);
            case STRING_LIST:
                if (raw instanceof List<?> list) {
                    List<String> out = new ArrayList<>();
                    for (Object item : list) {
                        if (item instanceof List || item instanceof Map || item == null) {
                            throw mismatch(raw);
                        }
                        out.add(item.toString());
                    }
                    return Collections.unmodifiableList(out);
                }
                throw mismatch(raw);
            case STRING_MAP:
                if (raw instanceof Map<?, ?> map) {
                    Map<String, String> out = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if (e.getValue() instanceof List || e.getValue() instanceof Map || e.getValue() == null) {
                            throw mismatch(raw);
                        }
                        out.put(String.valueOf(e.getKey()), e.getValue().toString());
                    }
                    return Collections.unmodifiableMap(out);
                }
                throw mismatch(raw);
            default:
                throw new AssertionError(this);
        }
    }

    private Duration parseDuration(Object raw) {
        if (raw instanceof String s) {
            String text = s.trim().toLowerCase(Locale.ROOT);
            if (text.startsWith("pt") || text.startsWith("p")) {
                try {
                    return Duration.parse(text.toUpperCase(Locale.ROOT));
                } catch (RuntimeException e) {
                    throw mismatch(raw);
                }
            }
            Matcher m = DURATION_PART.matcher(text);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
                end = m.end();
            }
            if (end > 0 && end == text.length()) {
                return total;
            }
        }
        throw mismatch(raw);
    }

    private IllegalArgumentException mismatch(Object raw) {
        String found = raw == null ? "nothing"
                : raw instanceof String ? "\"" + raw + "\""
                : raw instanceof List ? "a list"
                : raw instanceof Map ? "a map"
                : raw.toString();
        return new IllegalArgumentException("expected " + expected + ", got " + found);
    }
}
