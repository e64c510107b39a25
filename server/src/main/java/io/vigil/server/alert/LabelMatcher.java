package io.vigil.server.alert;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.event.Severity;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A condition on one label of an alert, written as in Alertmanager: {@code team="db"},
 * {@code env!=staging}, {@code host=~"web-.*"}, {@code subject!~"/tmp/.*"}, plus the ordered
 * comparisons {@code severity>=high} (and {@code >}, {@code <=}, {@code <}) for the severity label.
 * A missing label reads as the empty string. Regular expressions match the whole value.
 * Routes, silences and maintenance windows select alerts with lists of these (all must hold).
 */
public final class LabelMatcher {

    private static final Pattern SYNTAX = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|>=|<=|=|>|<)\\s*(.*?)\\s*");

    private final String label;
    private final String op;
    private final String value;
    private final @Nullable Pattern regex;
    private final @Nullable Severity severity;

    private LabelMatcher(String label, String op, String value, @Nullable Pattern regex, @Nullable Severity severity) {
        this.label = label;
        this.op = op;
        this.value = value;
        this.regex = regex;
        this.severity = severity;
    }

    /**
     * @throws IllegalArgumentException with a message saying what is wrong and how it should look
     */
    public static LabelMatcher parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a matcher: write label=value, label!=value, "
                    + "label=~regex, label!~regex or severity>=high");
        }
        String label = m.group(1);
        String op = m.group(2);
        String value = unquote(m.group(3));
        switch (op) {
            case "=~", "!~" -> {
                try {
                    return new LabelMatcher(label, op, value, Pattern.compile(value), null);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("\"" + text + "\": invalid regular expression: "
                            + e.getDescription());
                }
            }
            case ">=", ">", "<=", "<" -> {
                if (!label.equals("severity")) {
                    throw new IllegalArgumentException("\"" + text + "\": " + op + " only compares the severity label "
                            + "(severity>=high); use =, !=, =~ or !~ for " + label);
                }
                Severity s = Severity.fromWireName(value).orElseThrow(() -> new IllegalArgumentException(
                        "\"" + text + "\": unknown severity \"" + value + "\": expected one of " + Severity.NAMES));
                return new LabelMatcher(label, op, value, null, s);
            }
            default -> {
                return new LabelMatcher(label, op, value, null, null);
            }
        }
    }

    /** Whether {@code labels} satisfy this matcher. */
    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(label, "");
        return switch (op) {
            case "=" -> actual.equals(value);
            case "!=" -> !actual.equals(value);
            case "=~" -> regex.matcher(actual).matches();
            case "!~" -> !regex.matcher(actual).matches();
            default -> {
                Severity a = Severity.fromWireName(actual).orElse(null);
                if (a == null) {
                    yield false;
                }
                int c = Integer.compare(a.code(), severity.code());
                yield switch (op) {
                    case ">=" -> c >= 0;
                    case ">" -> c > 0;
                    case "<=" -> c <= 0;
                    default -> c < 0;
                };
            }
        };
    }

    /** Whether all of {@code matchers} hold (an empty list always holds). */
    public static boolean all(Iterable<LabelMatcher> matchers, Map<String, String> labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public String label() {
        return label;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }

    /** The canonical text, e.g. {@code team="db"}. */
    @Override
    public String toString() {
        return label + op + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
