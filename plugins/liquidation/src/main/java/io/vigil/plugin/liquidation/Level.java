package io.vigil.plugin.liquidation;

import io.vigil.api.Severity;
import java.util.Locale;

/** The level of a pattern's score: below {@code min_score} it is recorded but not reported. */
enum Level {
    NONE(Severity.INFO), MEDIUM(Severity.MEDIUM), HIGH(Severity.HIGH), CRITICAL(Severity.CRITICAL);

    private final Severity severity;

    Level(Severity severity) {
        this.severity = severity;
    }

    Severity severity() {
        return severity;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Level parse(Object text) {
        for (Level l : values()) {
            if (l.wireName().equals(text)) {
                return l;
            }
        }
        return NONE;
    }
}
