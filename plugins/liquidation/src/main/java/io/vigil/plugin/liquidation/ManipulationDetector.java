package io.vigil.plugin.liquidation;

import static io.vigil.plugin.liquidation.SuspicionScore.factor;

import io.vigil.hyperliquid.Candle;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Manipulation (oracle- or mark-driven): at least {@code manipulation_min_count} accounts of one
 * asset liquidated within {@code cascade_window} for at least {@code cascade_min_notional_usd}, at
 * a price spike against them that came back.
 * With one-minute candles from {@code revert_within} before the first liquidation to
 * {@code revert_within} after the last (or now):
 *
 * <pre>
 * before  = open of the candle {@code revert_within} before the first liquidation
 * extreme = lowest low (liquidated longs) or highest high (shorts) from then to the last liquidation
 * after   = close of the last candle
 * spike % = |extreme − before| / before × 100, against the liquidated side (0 otherwise)
 * revert  = (after − extreme) / (before − extreme): 1 when the price is all the way back
 * reported when spike ≥ spike_pct and revert ≥ 0.5
 * spike     ramp(spike %, spike_pct → 5 × spike_pct)                                 weight 0.6
 * revert    ramp(revert, 0.5 → 1)                                                     weight 0.5
 * accounts  ramp(accounts, manipulation_min_count → 4 × manipulation_min_count)     weight 0.3
 * notional  ramp(notional, cascade_min_notional_usd → 100 × cascade_min_notional_usd) weight 0.3
 * </pre>
 *
 * The agent offers no access to another monitor's metrics, so the oracle plugin's prices cannot be
 * used here: prices come from the source (Hyperliquid's trade candles; for a feed, candles built
 * from the feed's own prices). Until {@code revert_within} has passed the cluster is looked at again
 * every run, so a price that comes back later is still seen.
 */
final class ManipulationDetector {

    /** Candles for a span of one asset; empty when they cannot be had this run. */
    interface Prices {
        Optional<List<Candle>> candles(String asset, Instant from, Instant to);
    }

    List<PatternInstance> detect(Analysis a, Prices prices, String priceSource) {
        LiquidationSettings s = a.settings;
        List<PatternInstance> out = new ArrayList<>();
        for (Map.Entry<String, List<Liquidation>> e : a.byAsset.entrySet()) {
            String asset = e.getKey();
            List<Analysis.Cluster> qualifying = Analysis.windows(e.getValue(), s.cascadeWindow()).stream()
                    .filter(w -> w.accounts() >= s.manipulationMinCount() && w.notional() >= s.cascadeMinNotional())
                    .toList();
            for (List<Analysis.Cluster> group : Analysis.overlapping(qualifying)) {
                Instant start = group.get(0).start();
                Instant end = group.stream().map(Analysis.Cluster::end).max(Instant::compareTo).orElseThrow();
                Analysis.Cluster span = new Analysis.Cluster(Analysis.between(e.getValue(), start, end));
                Instant before = start.minus(s.revertWithin());
                Instant after = end.plus(s.revertWithin());
                Instant to = after.isBefore(a.now) ? after : a.now;
                Instant from = before.minus(Duration.ofMinutes(1));
                Optional<List<Candle>> candles = prices.candles(asset, from, to);
                if (candles.isEmpty()) {
                    continue;
                }
                List<Candle> range = candles.get().stream()
                        .filter(c -> !c.closeTime().isBefore(from) && !c.openTime().isAfter(to))
                        .sorted(java.util.Comparator.comparing(Candle::openTime)).toList();
                if (!range.isEmpty()) {
                    evaluate(s, asset, span, range, before, end, priceSource).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    private static Optional<PatternInstance> evaluate(LiquidationSettings s, String asset, Analysis.Cluster span,
                                                      List<Candle> candles, Instant before, Instant end,
                                                      String priceSource) {
        Candle first = candles.stream().filter(c -> !c.closeTime().isBefore(before)).findFirst().orElse(null);
        if (first == null) {
            return Optional.empty();
        }
        boolean longs = span.side() == Liquidation.Side.LONG;
        double p0 = first.open().doubleValue();
        List<Candle> during = candles.stream()
                .filter(c -> !c.closeTime().isBefore(before) && !c.openTime().isAfter(end)).toList();
        double extreme = longs
                ? during.stream().map(Candle::low).min(BigDecimal::compareTo).orElse(first.open()).doubleValue()
                : during.stream().map(Candle::high).max(BigDecimal::compareTo).orElse(first.open()).doubleValue();
        double p1 = candles.get(candles.size() - 1).close().doubleValue();
        double spike = Math.max(0, (longs ? p0 - extreme : extreme - p0) / p0 * 100);
        double revert = p0 == extreme ? 0 : (longs ? p1 - extreme : extreme - p1) / (longs ? p0 - extreme : extreme - p0);
        if (spike < s.spikePct() || revert < 0.5) {
            return Optional.empty();
        }
        SuspicionScore score = new SuspicionScore(List.of(
                factor("spike", spike, s.spikePct(), 5 * s.spikePct(), 0.6),
                factor("revert", revert, 0.5, 1, 0.5),
                factor("accounts", (double) span.accounts(), s.manipulationMinCount(), 4.0 * s.manipulationMinCount(), 0.3),
                factor("notional", span.notional(), s.cascadeMinNotional(), 100 * Math.max(s.cascadeMinNotional(), 1), 0.3)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("direction", longs ? "down" : "up");
        details.put("price_before", p0);
        details.put("price_extreme", extreme);
        details.put("price_after", p1);
        details.put("spike_pct", Numbers.round(spike, 4));
        details.put("revert_pct", Numbers.round(revert * 100, 2));
        details.put("price_source", priceSource);
        List<BigDecimal> marks = span.records().stream().flatMap(l -> l.markPrice().stream()).toList();
        details.put("mark_price_min", marks.stream().min(BigDecimal::compareTo).orElse(null));
        details.put("mark_price_max", marks.stream().max(BigDecimal::compareTo).orElse(null));
        String summary = span.accounts() + " accounts liquidated for " + Numbers.usd(span.notional()) + " as the price "
                + (longs ? "fell " : "rose ") + Numbers.round(spike, 2) + " % to " + extreme + " and came "
                + Numbers.round(revert * 100, 1) + " % of the way back";
        return Optional.of(new PatternInstance(Pattern.MANIPULATION, asset, span.start(), span.end(), score,
                span.records(), Analysis.accountsByNotional(span.records()), summary, details));
    }
}
