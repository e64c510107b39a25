package io.vigil.plugin.vault;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The anomaly score, 0 to 100, from four factors.
 *
 * <p>Each factor's measured value becomes a strength between 0 and 1 on a linear ramp: 0 at or
 * below its {@code start}, 1 at or above its {@code full}. Each factor has a weight, the most
 * points it can give on its own (as a fraction of 100). The factors combine like independent
 * alarms:
 *
 * <pre>score = 100 × (1 − Π (1 − weight × strength))</pre>
 *
 * so the score is never below the largest single factor's points, grows when several factors
 * are raised together, and never exceeds 100. A weighted sum would cap each factor at its
 * weight: a 10 % drawdown alone could then never reach the critical threshold.
 *
 * @param factors the factors in a fixed order
 */
record AnomalyScore(List<Factor> factors) {

    /**
     * One input of the score.
     *
     * @param name   {@code drawdown}, {@code loss_1h}, {@code position_share}, {@code margin_usage}
     * @param value  the measured value (percent)
     * @param start  the value at which it starts to count
     * @param full   the value at which it counts fully
     * @param weight the most points (as a fraction of 100) it gives on its own
     */
    record Factor(String name, double value, double start, double full, double weight) {

        double strength() {
            return Math.max(0, Math.min(1, (value - start) / (full - start)));
        }

        /** The points this factor alone would give. */
        double points() {
            return 100 * weight * strength();
        }
    }

    double score() {
        double calm = 1;
        for (Factor f : factors) {
            calm *= 1 - f.weight() * f.strength();
        }
        return 100 * (1 - calm);
    }

    /** Each factor's points alone, by name, for events. */
    Map<String, Double> points() {
        Map<String, Double> out = new LinkedHashMap<>();
        factors.forEach(f -> out.put(f.name(), f.points()));
        return out;
    }
}
