package io.vigil.plugin.vault;

import io.vigil.api.Severity;
import java.util.Locale;

/** The level of the anomaly score: the state an alert opens, changes and resolves. */
enum ScoreLevel {
    NORMAL(Severity.INFO),
    HIGH(Severity.HIGH),
    CRITICAL(Severity.CRITICAL);

    private final Severity severity;

    ScoreLevel(Severity severity) {
        this.severity = severity;
    }

    Severity severity() {
        return severity;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ScoreLevel parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    static ScoreLevel of(double score, double high, double critical) {
        return score >= critical ? CRITICAL : score >= high ? HIGH : NORMAL;
    }

    /** The level after {@code current}: up at once, down only {@code hysteresis} points below a threshold. */
    static ScoreLevel next(ScoreLevel current, double score, double high, double critical, double hysteresis) {
        ScoreLevel up = of(score, high, critical);
        if (up.compareTo(current) > 0) {
            return up;
        }
        ScoreLevel down = of(score + hysteresis, high, critical);
        return down.compareTo(current) < 0 ? down : current;
    }
}
