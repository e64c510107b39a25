package io.vigil.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standard {@link Options}: configured values checked against a monitor's
 * {@link OptionSpec declarations}. The agent builds one per monitor from its configuration, and
 * the test kit builds one the same way, so a plugin's tests see exactly what the agent would
 * give it.
 */
public final class ValidatedOptions implements Options {

    /** A whole value of the form {@code ${env:NAME}} or {@code ${file:/path}}. */
    private static final Pattern SECRET_REFERENCE = Pattern.compile("\\$\\{((?:env|file):[^}]+)}");

    private final Map<String, OptionSpec> specs;
    private final Map<String, Object> values;

    private ValidatedOptions(Map<String, OptionSpec> specs, Map<String, Object> values) {
        this.specs = specs;
        this.values = values;
    }

    /**
     * Checks {@code configured} against {@code specs}: each value is converted to its declared
     * type, required options must be present, unknown names are refused, defaults fill the rest,
     * and secret options written as a reference are resolved through {@code secrets}.
     *
     * @throws InvalidOptionsException listing every problem found
     */
    public static ValidatedOptions of(List<OptionSpec> specs, Map<String, ?> configured, Secrets secrets) {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        for (OptionSpec spec : specs) {
            if (byName.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("option " + spec.name() + " is declared twice");
            }
        }
        List<InvalidOptionsException.Problem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionSpec spec : byName.values()) {
            Object raw = configured.get(spec.name());
            if (raw == null) {
                if (spec.required()) {
                    problems.add(new InvalidOptionsException.Problem(spec.name(), "is required: " + spec.description()));
                } else if (spec.defaultValue() != null) {
                    values.put(spec.name(), spec.defaultValue());
                }
                continue;
            }
            try {
                if (spec.secret() && raw instanceof String text) {
                    Matcher m = SECRET_REFERENCE.matcher(text.trim());
                    if (m.matches()) {
                        raw = secrets.resolve(m.group(1));
                    }
                }
                values.put(spec.name(), spec.type().parse(raw));
            } catch (IllegalArgumentException e) {
                problems.add(new InvalidOptionsException.Problem(spec.name(), e.getMessage()));
            }
        }
        for (String name : configured.keySet()) {
            if (!byName.containsKey(name)) {
                problems.add(new InvalidOptionsException.Problem(name, "is not an option of this monitor (it has: "
                        + String.join(", ", byName.keySet()) + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidOptionsException(problems);
        }
        return new ValidatedOptions(Collections.unmodifiableMap(byName), Collections.unmodifiableMap(values));
    }

    private Object value(String name, OptionType expected) {
        OptionSpec spec = specs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("option " + name + " is not declared by this monitor");
        }
        if (spec.type() != expected) {
            throw new IllegalArgumentException("option " + name + " is declared " + spec.type() + ", read as " + expected);
        }
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("option " + name + " is not set and has no default; check isSet first");
        }
        return value;
    }

    @Override
    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    @Override
    public String string(String name) {
        return (String) value(name, OptionType.STRING);
    }

    @Override
    public long integer(String name) {
        return (Long) value(name, OptionType.INTEGER);
    }

    @Override
    public double decimal(String name) {
        return (Double) value(name, OptionType.DECIMAL);
    }

    @Override
    public boolean bool(String name) {
        return (Boolean) value(name, OptionType.BOOLEAN);
    }

    @Override
    public Duration duration(String name) {
        return (Duration) value(name, OptionType.DURATION);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        return (List<String>) value(name, OptionType.STRING_LIST);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> map(String name) {
        return (Map<String, String>) value(name, OptionType.STRING_MAP);
    }

    /**
     * The options as text for display: secret options appear as {@code "****"}, so the result
     * can be logged or printed by {@code vigil-agent check}.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        values.forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(name).append('=').append(specs.get(name).secret() ? "****" : value);
        });
        return out.append('}').toString();
    }
}
