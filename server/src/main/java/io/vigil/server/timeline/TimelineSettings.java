package io.vigil.server.timeline;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code vigil.timeline.*}: the window of subject timelines and of the session list when the caller
 * gives none, and the widest window a caller may ask for (a wider one is a 400, not a slow scan).
 */
@ConfigurationProperties("vigil.timeline")
public class TimelineSettings {

    /** {@code vigil.timeline.default-window}: 30 days. */
    private Duration defaultWindow = Duration.ofDays(30);
    /** {@code vigil.timeline.max-window}: 366 days. */
    private Duration maxWindow = Duration.ofDays(366);

    public Duration getDefaultWindow() {
        return defaultWindow;
    }

    public void setDefaultWindow(Duration defaultWindow) {
        this.defaultWindow = positive("vigil.timeline.default-window", defaultWindow);
    }

    public Duration getMaxWindow() {
        return maxWindow;
    }

    public void setMaxWindow(Duration maxWindow) {
        this.maxWindow = positive("vigil.timeline.max-window", maxWindow);
    }

    private static Duration positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration such as 30d, got " + d);
        }
        return d;
    }
}
