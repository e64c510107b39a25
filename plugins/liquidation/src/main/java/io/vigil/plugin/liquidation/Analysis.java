package io.vigil.plugin.liquidation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the pattern detectors look at in one run: the window's liquidations by asset (oldest
 * first), the other fills of the accounts the monitor reads, and the baselines.
 */
final class Analysis {

    final LiquidationSettings settings;
    final Instant now;
    final Map<String, List<Liquidation>> byAsset = new LinkedHashMap<>();
    final List<Liquidation> all;
    final List<AccountTrade> trades;
    final Baselines baselines;

    Analysis(LiquidationSettings settings, Instant now, List<Liquidation> window, List<AccountTrade> trades,
             Baselines baselines) {
        this.settings = settings;
        this.now = now;
        this.all = window.stream().sorted(ORDER).toList();
        this.trades = List.copyOf(trades);
        this.baselines = baselines;
        for (Liquidation l : all) {
            byAsset.computeIfAbsent(l.asset(), a -> new ArrayList<>()).add(l);
        }
    }

    static final Comparator<Liquidation> ORDER = Comparator.comparing(Liquidation::time).thenComparing(Liquidation::id);

    /**
     * The liquidations of one asset within {@code span} ending at each liquidation (several at the
     * same millisecond give one window). A window ending at a liquidation holds every window of
     * that length that has the same last liquidation, so these are all the windows worth looking at.
     */
    static List<Cluster> windows(List<Liquidation> sorted, Duration span) {
        List<Cluster> out = new ArrayList<>();
        int first = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (i + 1 < sorted.size() && sorted.get(i + 1).time().equals(sorted.get(i).time())) {
                continue;
            }
            Instant from = sorted.get(i).time().minus(span);
            while (sorted.get(first).time().isBefore(from)) {
                first++;
            }
            out.add(new Cluster(sorted.subList(first, i + 1)));
        }
        return out;
    }

    /** Groups windows whose spans overlap; each group is one occurrence. */
    static List<List<Cluster>> overlapping(List<Cluster> windows) {
        List<List<Cluster>> groups = new ArrayList<>();
        List<Cluster> current = null;
        Instant currentEnd = null;
        for (Cluster w : windows) {
            if (current != null && !w.start().isAfter(currentEnd)) {
                current.add(w);
                currentEnd = w.end().isAfter(currentEnd) ? w.end() : currentEnd;
            } else {
                current = new ArrayList<>(List.of(w));
                groups.add(current);
                currentEnd = w.end();
            }
        }
        return groups;
    }

    /** The liquidations of {@code sorted} from {@code start} to {@code end}. */
    static List<Liquidation> between(List<Liquidation> sorted, Instant start, Instant end) {
        return sorted.stream().filter(l -> !l.time().isBefore(start) && !l.time().isAfter(end)).toList();
    }

    /** Accounts by liquidated notional, most first. */
    static List<String> accountsByNotional(List<Liquidation> records) {
        Map<String, Double> byAccount = new LinkedHashMap<>();
        records.forEach(l -> byAccount.merge(l.accountKey(), l.usd(), Double::sum));
        return byAccount.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
    }

    /** Liquidations in a span of time, with the figures the detectors use. */
    record Cluster(List<Liquidation> records) {

        Instant start() {
            return records.get(0).time();
        }

        Instant end() {
            return records.get(records.size() - 1).time();
        }

        int accounts() {
            Set<String> keys = new HashSet<>();
            records.forEach(l -> keys.add(l.accountKey()));
            return keys.size();
        }

        double notional() {
            return records.stream().mapToDouble(Liquidation::usd).sum();
        }

        /** Highest over lowest fill price, in percent above the lowest. */
        double priceMovePct() {
            double min = records.stream().mapToDouble(l -> l.price().doubleValue()).min().orElse(0);
            double max = records.stream().mapToDouble(l -> l.price().doubleValue()).max().orElse(0);
            return min > 0 ? (max - min) / min * 100 : 0;
        }

        /** The side with the most notional. */
        Liquidation.Side side() {
            double longs = records.stream().filter(l -> l.side() == Liquidation.Side.LONG).mapToDouble(Liquidation::usd).sum();
            return longs * 2 >= notional() ? Liquidation.Side.LONG : Liquidation.Side.SHORT;
        }
    }
}
