package io.vigil.plugin.oracle;

import io.vigil.api.Severity;
import java.util.Locale;

/** How far an asset's oracle is from its reference: the state an alert opens, changes and resolves. */
enum DeviationLevel {
    NORMAL(Severity.INFO),
    MEDIUM(Severity.MEDIUM),
    CRITICAL(Severity.CRITICAL);

    private final Severity severity;

    DeviationLevel(Severity severity) {
        this.severity = severity;
    }

    Severity severity() {
        return severity;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeviationLevel parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
