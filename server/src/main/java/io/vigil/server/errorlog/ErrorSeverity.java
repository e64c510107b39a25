package io.vigil.server.errorlog;

import io.vigil.server.event.Severity;

import java.util.Locale;
import java.util.Optional;

/**
 * How bad a recorded error is: the levels a log line has ({@code warn}, {@code error}) plus
 * {@code critical} for agents that know better. Stored as {@code error_groups.severity} =
 * {@link #code()}; a group keeps the highest severity it was reported with.
 */
public enum ErrorSeverity {
    WARN, ERROR, CRITICAL;

    /** "warn, error, critical", for error messages. */
    public static final String NAMES = "warn, error, critical";

    /** The stored code, 0 (warn) to 2 (critical). */
    public short code() {
        return (short) ordinal();
    }

    /** The name used in JSON: {@code "error"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity of the event that announces a reopened group of this severity. */
    Severity eventSeverity() {
        return switch (this) {
            case WARN -> Severity.MEDIUM;
            case ERROR -> Severity.HIGH;
            case CRITICAL -> Severity.CRITICAL;
        };
    }

    /** The severity with this exact wire name. */
    public static Optional<ErrorSeverity> fromWireName(String name) {
        for (ErrorSeverity s : values()) {
            if (s.wireName().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The severity stored as {@code code}. */
    public static ErrorSeverity fromCode(int code) {
        return values()[code];
    }
}
