package io.vigil.server.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How much an event matters, in increasing order; the wire names are the lower-case constant
 * names. Stored as {@code events.severity smallint} = {@link #code()}, so "at least high" is
 * {@code severity >= 3} (see V1__agents_events_metrics.sql).
 */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    /** "info, low, medium, high, critical", for error messages. */
    public static final String NAMES = Arrays.stream(values()).map(Severity::wireName)
            .collect(Collectors.joining(", "));

    /** The stored code, 0 (info) to 4 (critical). */
    public short code() {
        return (short) ordinal();
    }

    private final String wireName = name().toLowerCase(Locale.ROOT);
    private static final Severity[] ALL = values();

    /** The name used in JSON: {@code "high"}. */
    public String wireName() {
        return wireName;
    }

    /** The severity with this exact wire name (lower case). */
    public static Optional<Severity> fromWireName(String name) {
        for (Severity s : ALL) {
            if (s.wireName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The severity stored as {@code code}. */
    public static Severity fromCode(int code) {
        if (code < 0 || code >= values().length) {
            throw new IllegalArgumentException("no severity has code " + code);
        }
        return values()[code];
    }
}
