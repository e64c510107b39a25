package io.vigil.plugin.liquidation;

import static io.vigil.plugin.liquidation.SuspicionScore.factor;

import io.vigil.hyperliquid.http.JsonHttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cascade: at least {@code cascade_min_count} accounts of one asset liquidated within
 * {@code cascade_window} for at least {@code cascade_min_notional_usd}, scored by how far the
 * fills and the notional exceed what the asset usually sees in such a span, and by how far the
 * price moved while it happened (either way: liquidated shorts cascade upwards).
 *
 * <pre>
 * fills_ratio    = fills / max(expected fills, 1)
 * notional_ratio = notional / max(expected notional, cascade_min_notional_usd)
 * count     ramp(fills_ratio,    3 → 30)  weight 0.5
 * notional  ramp(notional_ratio, 3 → 30)  weight 0.5
 * price     ramp(price move %,   1 → 10)  weight 0.3
 * </pre>
 *
 * Overlapping qualifying windows are one cascade, scored by its strongest window.
 */
final class CascadeDetector {

    List<PatternInstance> detect(Analysis a) {
        LiquidationSettings s = a.settings;
        List<PatternInstance> out = new ArrayList<>();
        for (Map.Entry<String, List<Liquidation>> e : a.byAsset.entrySet()) {
            String asset = e.getKey();
            List<Analysis.Cluster> qualifying = Analysis.windows(e.getValue(), s.cascadeWindow()).stream()
                    .filter(w -> w.accounts() >= s.cascadeMinCount() && w.notional() >= s.cascadeMinNotional())
                    .toList();
            Optional<Baselines.Expected> expected = a.baselines.expected(asset, a.now.minus(s.window()), s.cascadeWindow());
            for (List<Analysis.Cluster> group : Analysis.overlapping(qualifying)) {
                Analysis.Cluster best = null;
                SuspicionScore bestScore = null;
                for (Analysis.Cluster w : group) {
                    SuspicionScore score = score(s, w, expected);
                    if (bestScore == null || score.score() > bestScore.score()) {
                        best = w;
                        bestScore = score;
                    }
                }
                Analysis.Cluster span = new Analysis.Cluster(Analysis.between(e.getValue(), group.get(0).start(),
                        group.stream().map(Analysis.Cluster::end).max(java.time.Instant::compareTo).orElseThrow()));
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("window_accounts", best.accounts());
                details.put("window_fills", best.records().size());
                details.put("window_notional", Numbers.round(best.notional(), 2));
                details.put("window_from", best.start().toString());
                details.put("window_to", best.end().toString());
                details.put("expected_fills", expected.map(x -> Numbers.round(x.fills(), 4)).orElse(null));
                details.put("expected_notional", expected.map(x -> Numbers.round(x.notional(), 2)).orElse(null));
                details.put("baseline_hours", expected.map(x -> Numbers.round(x.hours(), 2)).orElse(null));
                details.put("fills_ratio", Numbers.round(fillsRatio(best, expected), 4));
                details.put("notional_ratio", Numbers.round(notionalRatio(s, best, expected), 4));
                details.put("price_move_pct", Numbers.round(best.priceMovePct(), 4));
                String summary = best.accounts() + " accounts liquidated for " + Numbers.usd(best.notional()) + " within "
                        + JsonHttpClient.human(s.cascadeWindow()) + " ("
                        + (expected.isPresent() ? Numbers.round(fillsRatio(best, expected), 1) + "x the usual fills"
                        : "no baseline yet") + "), price moved " + Numbers.round(best.priceMovePct(), 2) + " %";
                out.add(new PatternInstance(Pattern.CASCADE, asset, span.start(), span.end(), bestScore, span.records(),
                        Analysis.accountsByNotional(span.records()), summary, details));
            }
        }
        return out;
    }

    static SuspicionScore score(LiquidationSettings s, Analysis.Cluster w, Optional<Baselines.Expected> expected) {
        return new SuspicionScore(List.of(
                factor("count", fillsRatio(w, expected), 3, 30, 0.5),
                factor("notional", notionalRatio(s, w, expected), 3, 30, 0.5),
                factor("price", w.priceMovePct(), 1, 10, 0.3)));
    }

    private static double fillsRatio(Analysis.Cluster w, Optional<Baselines.Expected> expected) {
        return w.records().size() / Math.max(expected.map(Baselines.Expected::fills).orElse(0.0), 1.0);
    }

    private static double notionalRatio(LiquidationSettings s, Analysis.Cluster w, Optional<Baselines.Expected> expected) {
        double floor = Math.max(s.cascadeMinNotional(), 1.0);
        return w.notional() / Math.max(expected.map(Baselines.Expected::notional).orElse(0.0), floor);
    }
}
