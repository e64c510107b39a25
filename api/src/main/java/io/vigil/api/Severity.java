package io.vigil.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much an event matters, in increasing order. The order is meaningful: rules match
 * "at least {@code HIGH}" by comparing {@link #ordinal()}s through {@link #atLeast(Severity)}.
 */
public enum Severity {
    /** Worth recording, nobody needs to act (inventory, baselines, state that is fine). */
    INFO,
    /** Probably expected (a new nullable column, a container started). */
    LOW,
    /** Someone should look during working hours. */
    MEDIUM,
    /** Something is wrong and may get worse (an unplanned container stop). */
    HIGH,
    /** Act now (a table dropped, an oracle deviating, a restart loop). */
    CRITICAL;

    /** The lower-case name used in JSON, YAML and the API ({@code "high"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this severity is the same as or above {@code other}. */
    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /**
     * Parses a severity name, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code text} is none of them
     */
    public static Severity parse(String text) {
        if (text != null) {
            for (Severity s : values()) {
                if (s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown severity \"" + text + "\": expected one of "
                + Arrays.stream(values()).map(Severity::wireName).collect(Collectors.joining(", ")));
    }
}
