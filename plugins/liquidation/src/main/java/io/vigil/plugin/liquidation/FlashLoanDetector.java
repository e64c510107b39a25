package io.vigil.plugin.liquidation;

import static io.vigil.plugin.liquidation.SuspicionScore.factor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Flash-loan-like: open → push the price → liquidate → take profit, within minutes. HyperCore
 * has no flash loans; what it shows is the shape: an account opens a position and is liquidated
 * within {@code flash_window}, at size, and related accounts were on the other side.
 *
 * <p>For every known account liquidated in one asset for at least {@code flash_min_notional_usd}
 * the monitor reads that account's own fills from {@code flash_window} before its first
 * liquidation; the liquidation is fresh when the account opened that side of the position in that
 * time. Fresh liquidations of one asset whose spans overlap (within {@code flash_window}) are one
 * occurrence.
 *
 * <p>"Related" says only what public data can show, since it has no ownership or funding links:
 * (a) several accounts opened and were liquidated in the same asset within the same minutes, or
 * (b) an account whose fills the monitor reads (one of {@code accounts}) closed the opposite side
 * of that asset in profit from the first opening to {@code flash_window} after the last
 * liquidation. Accounts the liquidations came through (the HLP Liquidator) are not counted.
 *
 * <pre>
 * size     ramp(notional, flash_min_notional_usd → 10 × flash_min_notional_usd) weight 0.5
 * speed    ramp(seconds from opening to liquidation, flash_window → 0)          weight 0.4
 * price    ramp(move from the opening to the liquidation price %, 1 → 10)      weight 0.3
 * related  1 when (a) or (b), else 0                                             weight 0.5
 * </pre>
 */
final class FlashLoanDetector {

    /** An account's own fills in a span; empty when they cannot be read this run. */
    interface AccountFills {
        Optional<List<AccountTrade>> fills(String account, String asset, Instant from, Instant to);
    }

    private record Fresh(String account, List<Liquidation> records, Instant opened, double openPrice,
                         double liquidationPrice) {
        Instant first() {
            return records.get(0).time();
        }

        Instant last() {
            return records.get(records.size() - 1).time();
        }

        double notional() {
            return records.stream().mapToDouble(Liquidation::usd).sum();
        }

        long secondsToLiquidation() {
            return Duration.between(opened, first()).toSeconds();
        }

        double movePct() {
            return Math.abs(liquidationPrice - openPrice) / openPrice * 100;
        }
    }

    /** The accounts worth reading, most notional first: known, liquidated for at least flash_min_notional_usd. */
    static List<Candidate> candidates(Analysis a) {
        List<Candidate> out = new ArrayList<>();
        for (Map.Entry<String, List<Liquidation>> e : a.byAsset.entrySet()) {
            Map<String, List<Liquidation>> byAccount = new LinkedHashMap<>();
            e.getValue().stream().filter(l -> !l.account().isEmpty())
                    .forEach(l -> byAccount.computeIfAbsent(l.account(), k -> new ArrayList<>()).add(l));
            byAccount.forEach((account, records) -> {
                double notional = records.stream().mapToDouble(Liquidation::usd).sum();
                if (notional >= a.settings.flashMinNotional()) {
                    out.add(new Candidate(account, e.getKey(), List.copyOf(records), notional));
                }
            });
        }
        out.sort(Comparator.comparingDouble(Candidate::notional).reversed());
        return out;
    }

    /** An account liquidated for enough in one asset to have its own fills read. */
    record Candidate(String account, String asset, List<Liquidation> records, double notional) {
        Instant first() {
            return records.get(0).time();
        }

        Instant last() {
            return records.get(records.size() - 1).time();
        }
    }

    List<PatternInstance> detect(Analysis a, AccountFills lookups) {
        LiquidationSettings s = a.settings;
        Map<String, List<Fresh>> freshByAsset = new LinkedHashMap<>();
        for (Candidate c : candidates(a)) {
            Optional<List<AccountTrade>> fills = lookups.fills(c.account(), c.asset(), c.first().minus(s.flashWindow()),
                    c.last());
            if (fills.isEmpty()) {
                continue;
            }
            Liquidation.Side side = new Analysis.Cluster(c.records()).side();
            List<AccountTrade> opens = fills.get().stream()
                    .filter(t -> t.asset().equals(c.asset()) && t.opens(side)
                            && !t.time().isBefore(c.first().minus(s.flashWindow())) && !t.time().isAfter(c.first()))
                    .toList();
            if (opens.isEmpty()) {
                continue;
            }
            Instant opened = opens.stream().map(AccountTrade::time).min(Instant::compareTo).orElseThrow();
            freshByAsset.computeIfAbsent(c.asset(), k -> new ArrayList<>())
                    .add(new Fresh(c.account(), c.records(), opened, vwap(opens.stream().map(t -> new BigDecimal[] {t.price(), t.size()}).toList()),
                            vwap(c.records().stream().map(l -> new BigDecimal[] {l.price(), l.size()}).toList())));
        }
        List<PatternInstance> out = new ArrayList<>();
        for (Map.Entry<String, List<Fresh>> e : freshByAsset.entrySet()) {
            List<Fresh> fresh = new ArrayList<>(e.getValue());
            fresh.sort(Comparator.comparing(Fresh::opened));
            List<List<Fresh>> groups = new ArrayList<>();
            Instant groupEnd = null;
            for (Fresh f : fresh) {
                if (groupEnd != null && !f.opened().isAfter(groupEnd.plus(s.flashWindow()))) {
                    groups.get(groups.size() - 1).add(f);
                    groupEnd = f.last().isAfter(groupEnd) ? f.last() : groupEnd;
                } else {
                    groups.add(new ArrayList<>(List.of(f)));
                    groupEnd = f.last();
                }
            }
            for (List<Fresh> group : groups) {
                out.add(instance(a, e.getKey(), group));
            }
        }
        return out;
    }

    private static PatternInstance instance(Analysis a, String asset, List<Fresh> group) {
        LiquidationSettings s = a.settings;
        List<Liquidation> evidence = group.stream().flatMap(f -> f.records().stream()).sorted(Analysis.ORDER).toList();
        Instant start = group.stream().map(Fresh::opened).min(Instant::compareTo).orElseThrow();
        Instant end = group.stream().map(Fresh::last).max(Instant::compareTo).orElseThrow();
        Liquidation.Side side = new Analysis.Cluster(evidence).side();
        Set<String> ring = new LinkedHashSet<>();
        group.forEach(f -> ring.add(f.account()));
        Set<String> through = new HashSet<>();
        a.byAsset.getOrDefault(asset, List.of()).forEach(l -> through.add(l.via()));
        Map<String, Double> profits = new LinkedHashMap<>();
        a.trades.stream()
                .filter(t -> t.asset().equals(asset) && !ring.contains(t.account()) && !through.contains(t.account())
                        && t.closes(side.opposite()) && t.closedPnl().signum() > 0
                        && !t.time().isBefore(start) && !t.time().isAfter(end.plus(s.flashWindow())))
                .forEach(t -> profits.merge(t.account(), t.closedPnl().doubleValue(), Double::sum));
        boolean related = ring.size() >= 2 || !profits.isEmpty();
        Fresh fastest = group.stream().min(Comparator.comparingLong(Fresh::secondsToLiquidation)).orElseThrow();
        double notional = evidence.stream().mapToDouble(Liquidation::usd).sum();
        double move = group.stream().mapToDouble(Fresh::movePct).max().orElse(0);
        SuspicionScore score = new SuspicionScore(List.of(
                factor("size", notional, s.flashMinNotional(), 10 * Math.max(s.flashMinNotional(), 1), 0.5),
                factor("speed", (double) fastest.secondsToLiquidation(), s.flashWindow().toSeconds(), 0, 0.4),
                factor("price", move, 1, 10, 0.3),
                factor("related", related ? 1.0 : 0.0, 0, 1, 0.5)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("opened_at", fastest.opened().toString());
        details.put("seconds_open_to_liquidation", fastest.secondsToLiquidation());
        details.put("open_price", Numbers.round(fastest.openPrice(), 8));
        details.put("liquidation_price", Numbers.round(fastest.liquidationPrice(), 8));
        details.put("price_move_pct", Numbers.round(move, 4));
        details.put("fresh_accounts", new ArrayList<>(ring));
        Map<String, Object> takers = new LinkedHashMap<>();
        profits.forEach((k, v) -> takers.put(k, Numbers.round(v, 2)));
        details.put("profit_takers", takers);
        List<String> accounts = new ArrayList<>(Analysis.accountsByNotional(evidence));
        accounts.addAll(profits.keySet());
        String summary = ring.size() + (ring.size() == 1 ? " account opened " : " accounts opened ") + side.wireName()
                + (ring.size() == 1 ? " and was" : " and were") + " liquidated for " + Numbers.usd(notional) + " within " + fastest.secondsToLiquidation()
                + " s (price moved " + Numbers.round(move, 2) + " %)"
                + (profits.isEmpty() ? "" : "; " + profits.size() + " watched account" + (profits.size() == 1 ? "" : "s")
                + " took " + Numbers.usd(profits.values().stream().mapToDouble(Double::doubleValue).sum())
                + " profit on the other side");
        return new PatternInstance(Pattern.FLASH_LOAN, asset, start, end, score, evidence, accounts, summary, details);
    }

    private static double vwap(List<BigDecimal[]> priceAndSize) {
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal size = BigDecimal.ZERO;
        for (BigDecimal[] ps : priceAndSize) {
            value = value.add(ps[0].multiply(ps[1]));
            size = size.add(ps[1]);
        }
        return size.signum() == 0 ? 0 : value.divide(size, MathContext.DECIMAL64).doubleValue();
    }
}
