package io.vigil.plugin.liquidation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pattern's suspicion score, 0 to 100, from its factors (the vault plugin's anomaly score works
 * the same way).
 *
 * <p>Each factor's measured value becomes a strength between 0 and 1 on a linear ramp: 0 at its
 * {@code start}, 1 at its {@code full} ({@code full} may be below {@code start}: the smaller, the
 * stronger). Each factor has a weight, the most points it can give on its own as a fraction of
 * 100. They combine like independent alarms:
 *
 * <pre>score = 100 × (1 − Π (1 − weight × strength))</pre>
 *
 * so the score is never below the strongest single factor's points, rises when several are raised
 * together, and never exceeds 100. A factor whose value is unknown (no baseline yet) gives 0.
 */
record SuspicionScore(List<Factor> factors) {

    /**
     * One input of the score.
     *
     * @param value the measured value, or {@code null} when it cannot be measured
     */
    record Factor(String name, Double value, double start, double full, double weight) {

        double strength() {
            if (value == null) {
                return 0;
            }
            return Math.max(0, Math.min(1, (value - start) / (full - start)));
        }

        double points() {
            return 100 * weight * strength();
        }
    }

    static Factor factor(String name, Double value, double start, double full, double weight) {
        return new Factor(name, value, start, full, weight);
    }

    double score() {
        double calm = 1;
        for (Factor f : factors) {
            calm *= 1 - f.weight() * f.strength();
        }
        return 100 * (1 - calm);
    }

    /** Each factor's points alone, by name, rounded to 2 decimals, for events. */
    Map<String, Object> points() {
        Map<String, Object> out = new LinkedHashMap<>();
        factors.forEach(f -> out.put(f.name(), Numbers.round(f.points(), 2)));
        return out;
    }
}
