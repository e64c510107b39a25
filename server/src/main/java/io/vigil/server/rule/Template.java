package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny, safe text template for alert titles and messages: literal text with
 * {@code {{name}}} or {@code {{attributes.path.to.value}}} substitutions, nothing else. There are no
 * expressions, calls, loops or includes, so a rule can never execute anything; an unknown name is
 * refused when the rule is loaded, and a value that is missing at run time renders as empty text.
 */
public final class Template {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_-]+)*)\\s*}}");
    private static final int MAX_OUTPUT = 4096;

    private final String source;
    private final List<Object> parts; // String literal or String[] path

    private Template(String source, List<Object> parts) {
        this.source = source;
        this.parts = parts;
    }

    /**
     * @param names    the names a rule of this kind offers ({@code subject}, {@code value} ...)
     * @param prefixes names that take a path below them ({@code attributes}, {@code labels})
     * @throws IllegalArgumentException naming the unknown variable and the known ones, or an
     *                                  unclosed {@code {{}
     */
    public static Template parse(String text, Collection<String> names, Set<String> prefixes) {
        List<Object> parts = new ArrayList<>();
        Matcher m = VARIABLE.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(literal(text.substring(at, m.start())));
            }
            String[] path = m.group(1).split("\\.");
            boolean known = path.length == 1 ? names.contains(path[0]) : prefixes.contains(path[0]);
            if (!known) {
                throw new IllegalArgumentException("unknown template variable {{" + m.group(1) + "}}; known: "
                        + String.join(", ", names) + (prefixes.isEmpty() ? ""
                        : ", " + String.join(", ", prefixes.stream().map(p -> p + ".<name>").toList())));
            }
            parts.add(path);
            at = m.end();
        }
        if (at < text.length()) {
            parts.add(literal(text.substring(at)));
        }
        return new Template(text, List.copyOf(parts));
    }

    private static String literal(String s) {
        if (s.contains("{{")) {
            throw new IllegalArgumentException("\"{{\" without a matching variable: write {{name}} with a name "
                    + "of letters, digits and dots");
        }
        return s;
    }

    /** The template as written. */
    public String source() {
        return source;
    }

    /**
     * Renders with {@code lookup} giving the value of a top-level name; paths go down into maps
     * (attributes objects, labels).
     */
    public String render(Function<String, Object> lookup) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String s) {
                b.append(s);
            } else {
                String[] path = (String[]) p;
                Object v = lookup.apply(path[0]);
                for (int i = 1; i < path.length && v != null; i++) {
                    v = v instanceof Map<?, ?> map ? map.get(path[i]) : null;
                }
                b.append(format(v));
            }
            if (b.length() > MAX_OUTPUT) {
                b.setLength(MAX_OUTPUT);
                break;
            }
        }
        return b.toString();
    }

    /** How values appear in text: numbers without needless decimals, nothing for null. */
    public static String format(@Nullable Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Double.toString(d);
            }
            BigDecimal x = new BigDecimal(v.toString()).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
            return x.scale() < 0 ? x.setScale(0).toPlainString() : x.toPlainString();
        }
        return v.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
