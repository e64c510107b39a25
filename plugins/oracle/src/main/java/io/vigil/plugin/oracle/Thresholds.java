package io.vigil.plugin.oracle;

/**
 * An asset's deviation thresholds in percent, and the level rule with exit hysteresis: a level
 * is entered when the deviation reaches its threshold, and left only when the deviation is more
 * than {@code hysteresis} points below it, so a deviation hovering at a threshold is one event,
 * not one per poll.
 */
record Thresholds(double mediumPct, double criticalPct) {

    Thresholds {
        if (!(mediumPct > 0) || !(criticalPct >= mediumPct)) {
            throw new IllegalArgumentException("thresholds must satisfy 0 < medium <= critical, got medium "
                    + mediumPct + " and critical " + criticalPct);
        }
    }

    /** Parses {@code "1.0,2.0"} (medium, critical). */
    static Thresholds parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected \"medium,critical\" in percent such as \"1.0,2.0\", got \""
                    + text + "\"");
        }
        try {
            return new Thresholds(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected \"medium,critical\" in percent such as \"1.0,2.0\", got \""
                    + text + "\"");
        }
    }

    /** The level an absolute deviation reaches, ignoring history. */
    DeviationLevel levelOf(double deviationPct) {
        return deviationPct >= criticalPct ? DeviationLevel.CRITICAL
                : deviationPct >= mediumPct ? DeviationLevel.MEDIUM : DeviationLevel.NORMAL;
    }

    /** The level after {@code current}: up at once, down only below the threshold minus the hysteresis. */
    DeviationLevel next(DeviationLevel current, double deviationPct, double hysteresisPct) {
        DeviationLevel up = levelOf(deviationPct);
        if (up.compareTo(current) > 0) {
            return up;
        }
        DeviationLevel down = levelOf(deviationPct + hysteresisPct);
        return down.compareTo(current) < 0 ? down : current;
    }
}
