package io.vigil.plugin.liquidation;

import static io.vigil.plugin.liquidation.SuspicionScore.factor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Abnormal size: one account's liquidation in one asset (its fills with no gap longer than
 * {@code cascade_window}: a large position is liquidated in parts) far above the asset's usual
 * liquidation fill, the median of its last {@value Baselines#SIZES} in the baseline.
 *
 * <pre>
 * reported when notional ≥ size_min_notional_usd and (no median yet, or ratio ≥ size_multiple)
 * ratio  ramp(notional / median, size_multiple → 10 × size_multiple)    weight 0.6 (0 without a median)
 * size   ramp(notional, size_min_notional_usd → 20 × size_min_notional_usd) weight 0.6
 * </pre>
 *
 * Liquidations of one asset that overlap in time are one occurrence, scored by the largest.
 */
final class AbnormalSizeDetector {

    private record Unit(String account, List<Liquidation> records, SuspicionScore score) {
        Instant start() {
            return records.get(0).time();
        }

        Instant end() {
            return records.get(records.size() - 1).time();
        }

        double notional() {
            return records.stream().mapToDouble(Liquidation::usd).sum();
        }
    }

    List<PatternInstance> detect(Analysis a) {
        LiquidationSettings s = a.settings;
        List<PatternInstance> out = new ArrayList<>();
        for (Map.Entry<String, List<Liquidation>> e : a.byAsset.entrySet()) {
            String asset = e.getKey();
            Optional<Double> median = a.baselines.medianSize(asset);
            Map<String, List<Liquidation>> byAccount = new LinkedHashMap<>();
            e.getValue().forEach(l -> byAccount.computeIfAbsent(l.accountKey(), k -> new ArrayList<>()).add(l));
            List<Unit> units = new ArrayList<>();
            for (Map.Entry<String, List<Liquidation>> acc : byAccount.entrySet()) {
                List<Liquidation> current = new ArrayList<>();
                for (Liquidation l : acc.getValue()) {
                    if (!current.isEmpty() && l.time().isAfter(current.get(current.size() - 1).time().plus(s.cascadeWindow()))) {
                        unit(s, acc.getKey(), current, median).ifPresent(units::add);
                        current = new ArrayList<>();
                    }
                    current.add(l);
                }
                unit(s, acc.getKey(), current, median).ifPresent(units::add);
            }
            units.sort(Comparator.comparing(Unit::start));
            List<List<Unit>> groups = new ArrayList<>();
            Instant groupEnd = null;
            for (Unit u : units) {
                if (groupEnd != null && !u.start().isAfter(groupEnd.plus(s.cascadeWindow()))) {
                    groups.get(groups.size() - 1).add(u);
                    groupEnd = u.end().isAfter(groupEnd) ? u.end() : groupEnd;
                } else {
                    groups.add(new ArrayList<>(List.of(u)));
                    groupEnd = u.end();
                }
            }
            for (List<Unit> group : groups) {
                out.add(instance(asset, group, median));
            }
        }
        return out;
    }

    private static Optional<Unit> unit(LiquidationSettings s, String account, List<Liquidation> records,
                                       Optional<Double> median) {
        double notional = records.stream().mapToDouble(Liquidation::usd).sum();
        Double ratio = median.map(m -> notional / m).orElse(null);
        if (notional < s.sizeMinNotional() || ratio != null && ratio < s.sizeMultiple()) {
            return Optional.empty();
        }
        return Optional.of(new Unit(account, List.copyOf(records), new SuspicionScore(List.of(
                factor("ratio", ratio, s.sizeMultiple(), 10 * s.sizeMultiple(), 0.6),
                factor("size", notional, s.sizeMinNotional(), 20 * Math.max(s.sizeMinNotional(), 1), 0.6)))));
    }

    private static PatternInstance instance(String asset, List<Unit> group, Optional<Double> median) {
        Unit largest = group.stream().max(Comparator.comparingDouble(u -> u.score().score())).orElseThrow();
        List<Liquidation> evidence = group.stream().flatMap(u -> u.records().stream()).sorted(Analysis.ORDER).toList();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("median_fill_notional", median.map(m -> Numbers.round(m, 2)).orElse(null));
        details.put("largest_account", largest.account());
        details.put("largest_notional", Numbers.round(largest.notional(), 2));
        details.put("size_ratio", median.map(m -> Numbers.round(largest.notional() / m, 2)).orElse(null));
        details.put("largest_fills", largest.records().size());
        details.put("methods", new ArrayList<>(new TreeSet<>(evidence.stream().map(Liquidation::method)
                .filter(m -> !m.isEmpty()).toList())));
        String summary = largest.account() + " liquidated for " + Numbers.usd(largest.notional()) + " in "
                + largest.records().size() + " fill" + (largest.records().size() == 1 ? "" : "s")
                + median.map(m -> ", " + Numbers.round(largest.notional() / m, 1) + "x the median fill of "
                + Numbers.usd(m)).orElse(" (no usual size known yet)");
        return new PatternInstance(Pattern.ABNORMAL_SIZE, asset, evidence.get(0).time(),
                evidence.get(evidence.size() - 1).time(), largest.score(), evidence, Analysis.accountsByNotional(evidence),
                summary, details);
    }
}
