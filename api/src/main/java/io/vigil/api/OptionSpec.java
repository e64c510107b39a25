package io.vigil.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The declaration of one monitor option: the single place where its name, type, default and
 * meaning are written. The agent validates configuration against these declarations before any
 * monitor starts, and the plugin's README table is checked against them by a test.
 *
 * <pre>{@code
 * List.of(
 *     OptionSpec.of("url", OptionType.STRING, "Base URL of the info API").withDefault("https://api.hyperliquid.xyz"),
 *     OptionSpec.of("api_key", OptionType.STRING, "Key sent as X-Api-Key").asRequired().asSecret(),
 *     OptionSpec.of("threshold_pct", OptionType.DECIMAL, "Deviation that raises an event").withDefault(1.0));
 * }</pre>
 *
 * @param name         snake_case key in the monitor's {@code options} map
 * @param type         the value's type
 * @param defaultValue the typed default, or {@code null} when there is none
 * @param required     whether the configuration must set it (then there is no default)
 * @param description  one sentence for the README and {@code vigil-agent check}
 * @param secret       whether the value is a credential: it may be given as a reference
 *                     ({@code ${env:NAME}} or {@code ${file:/path}}) and is never logged or shown
 */
public record OptionSpec(String name, OptionType type, Object defaultValue, boolean required,
                         String description, boolean secret) {

    /** Option names are snake_case. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[a-z][a-z0-9_]*");

    /** Validates the declaration: a bad one is a plugin bug, reported when the plugin loads. */
    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!NAME_PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException("option name \"" + name + "\" must be snake_case");
        }
        if (defaultValue != null) {
            if (required) {
                throw new IllegalArgumentException("option " + name + " cannot be both required and defaulted");
            }
            try {
                defaultValue = type.parse(defaultValue);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("default of option " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** An optional option without a default. */
    public static OptionSpec of(String name, OptionType type, String description) {
        return new OptionSpec(name, type, null, false, description, false);
    }

    /**
     * This option with a default, given as a Java value or as it would be written in YAML
     * ({@code "30s"} for a duration).
     */
    public OptionSpec withDefault(Object value) {
        return new OptionSpec(name, type, Objects.requireNonNull(value, "default"), false, description, secret);
    }

    /** This option, required. */
    public OptionSpec asRequired() {
        return new OptionSpec(name, type, null, true, description, secret);
    }

    /** This option, holding a credential. */
    public OptionSpec asSecret() {
        return new OptionSpec(name, type, defaultValue, required, description, true);
    }
}
