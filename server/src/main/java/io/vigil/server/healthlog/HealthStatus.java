package io.vigil.server.healthlog;

import io.micronaut.core.annotation.Nullable;

import java.util.Arrays;
import java.util.Locale;

/**
 * A component's health, the one place its names and stored codes are defined
 * ({@code health_samples.status} and {@code component_status.status} are these codes).
 * Ordered from best to worst, so the worst of several is the one with the highest code.
 */
public enum HealthStatus {
    HEALTHY(0), DEGRADED(1), DOWN(2);

    private final int code;

    HealthStatus(int code) {
        this.code = code;
    }

    /** The stored smallint. */
    public int code() {
        return code;
    }

    /** The name in JSON and event attributes: {@code healthy}, {@code degraded}, {@code down}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status stored as {@code code}. */
    public static HealthStatus ofCode(int code) {
        for (HealthStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("no health status has code " + code);
    }

    /** The status named {@code name} (as {@link #wireName()}), or null when it names none. */
    public static @Nullable HealthStatus parse(@Nullable String name) {
        return name == null ? null : Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst()
                .orElse(null);
    }
}
