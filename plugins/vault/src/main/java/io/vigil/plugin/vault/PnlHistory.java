package io.vigil.plugin.vault;

import io.vigil.hyperliquid.PortfolioHistory;
import io.vigil.hyperliquid.TimedValue;
import io.vigil.hyperliquid.VaultDetails;
import io.vigil.hyperliquid.http.MalformedResponseException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The vault's PnL over the last day, from two places:
 *
 * <ul>
 *   <li>the vault's own {@code day} series in {@code vaultDetails}: about 13 points 2 h apart plus
 *       the current value, so there is a 24 h history from the first poll (no warm-up after a
 *       restart or on a new host);</li>
 *   <li>the monitor's own samples of the current value, one per poll (at most one per
 *       {@link #SAMPLE_SPACING}), kept for 25 h in the state store: they fill the 2 h gaps, so a
 *       peak between two of the vault's points counts and the hourly change is measured over about
 *       an hour rather than two.</li>
 * </ul>
 *
 * <p>PnL is the {@code pnlHistory} series, never differences of {@code accountValueHistory}: a
 * withdrawal lowers the account value but is not a loss. The {@code day} series starts at 0 at
 * the start of its window, so it is shifted onto the all-time series (both end at the same
 * current point), which gives every point one stable base across polls.
 */
final class PnlHistory {

    static final Duration KEEP = Duration.ofHours(25);
    static final Duration SAMPLE_SPACING = Duration.ofMinutes(4);

    private PnlHistory() {
    }

    /** The vault's day series on the all-time base, oldest first; the last point is the current one. */
    static List<PnlPoint> fromVault(VaultDetails vault) throws MalformedResponseException {
        PortfolioHistory day = period(vault, "day");
        PortfolioHistory allTime = period(vault, "allTime");
        if (day.pnlHistory().isEmpty() || day.accountValueHistory().isEmpty() || allTime.pnlHistory().isEmpty()) {
            throw new MalformedResponseException("hyperliquid vaultDetails: the day and allTime series of "
                    + vault.vaultAddress() + " are empty, expected at least the current value");
        }
        BigDecimal offset = last(allTime.pnlHistory()).value().subtract(last(day.pnlHistory()).value());
        TreeMap<Instant, BigDecimal> accountValues = new TreeMap<>();
        day.accountValueHistory().forEach(p -> accountValues.put(p.time(), p.value()));
        List<PnlPoint> out = new ArrayList<>();
        for (TimedValue p : day.pnlHistory()) {
            Map.Entry<Instant, BigDecimal> av = accountValues.floorEntry(p.time());
            if (av == null) {
                av = accountValues.firstEntry();
            }
            out.add(new PnlPoint(p.time(), p.value().add(offset), av.getValue()));
        }
        return out;
    }

    private static PortfolioHistory period(VaultDetails vault, String name) throws MalformedResponseException {
        return vault.period(name).orElseThrow(() -> new MalformedResponseException("hyperliquid vaultDetails: the "
                + "portfolio of " + vault.vaultAddress() + " has no " + name + " period, expected day, week, month, allTime"));
    }

    private static TimedValue last(List<TimedValue> series) {
        return series.get(series.size() - 1);
    }

    /**
     * Own samples and vault points in one series, oldest first, within {@link #KEEP} of
     * {@code now}; at equal times the vault's point wins.
     */
    static List<PnlPoint> merge(List<PnlPoint> own, List<PnlPoint> vault, Instant now) {
        TreeMap<Instant, PnlPoint> byTime = new TreeMap<>();
        own.forEach(p -> byTime.put(p.time(), p));
        vault.forEach(p -> byTime.put(p.time(), p));
        Instant from = now.minus(KEEP);
        return new ArrayList<>(byTime.tailMap(from, true).headMap(now, true).values());
    }

    /** The own samples to keep after this poll: those within 25 h, plus {@code current} if far enough from the last. */
    static List<PnlPoint> keep(List<PnlPoint> own, PnlPoint current) {
        TreeMap<Instant, PnlPoint> byTime = new TreeMap<>();
        own.forEach(p -> byTime.put(p.time(), p));
        Map.Entry<Instant, PnlPoint> before = byTime.lowerEntry(current.time());
        byTime.remove(current.time());
        if (before == null || Duration.between(before.getKey(), current.time()).compareTo(SAMPLE_SPACING) >= 0) {
            byTime.put(current.time(), current);
        }
        return new ArrayList<>(byTime.tailMap(current.time().minus(KEEP), true).values());
    }

    /**
     * The fall of cumulative PnL from its highest point within {@code window} before the last
     * point, in percent of the account value at that peak. Zero when the last point is the peak.
     *
     * @param peak the point the drawdown is measured from
     */
    record Drawdown(double pct, BigDecimal amount, PnlPoint peak) {
    }

    static Drawdown drawdown(List<PnlPoint> series, Duration window) {
        PnlPoint now = series.get(series.size() - 1);
        PnlPoint peak = now;
        for (PnlPoint p : series) {
            if (!p.time().isBefore(now.time().minus(window)) && p.pnl().compareTo(peak.pnl()) > 0) {
                peak = p;
            }
        }
        BigDecimal amount = peak.pnl().subtract(now.pnl());
        double pct = peak.accountValue().signum() > 0
                ? amount.doubleValue() / peak.accountValue().doubleValue() * 100 : 0;
        return new Drawdown(pct, amount, peak);
    }

    /**
     * The PnL change from the newest point at least {@code ago} old (the oldest point when none
     * is that old) to the last point, and in percent of the account value at its start.
     */
    record Change(BigDecimal amount, double pct, Duration window) {
    }

    static Change change(List<PnlPoint> series, Duration ago) {
        PnlPoint now = series.get(series.size() - 1);
        PnlPoint base = series.get(0);
        for (PnlPoint p : series) {
            if (!p.time().isAfter(now.time().minus(ago))) {
                base = p;
            }
        }
        BigDecimal amount = now.pnl().subtract(base.pnl());
        double pct = base.accountValue().signum() > 0
                ? amount.doubleValue() / base.accountValue().doubleValue() * 100 : 0;
        return new Change(amount, pct, Duration.between(base.time(), now.time()));
    }

    /** Own samples as stored: {@code [[ms,"pnl","accountValue"],…]}. */
    static List<List<Object>> encode(List<PnlPoint> points) {
        List<List<Object>> out = new ArrayList<>();
        points.forEach(p -> out.add(List.of(p.time().toEpochMilli(), p.pnl().toPlainString(),
                p.accountValue().toPlainString())));
        return out;
    }

    static List<PnlPoint> decode(List<?> stored) {
        List<PnlPoint> out = new ArrayList<>();
        for (Object item : stored) {
            if (item instanceof List<?> p && p.size() == 3 && p.get(0) instanceof Number ms) {
                out.add(new PnlPoint(Instant.ofEpochMilli(ms.longValue()), new BigDecimal(p.get(1).toString()),
                        new BigDecimal(p.get(2).toString())));
            }
        }
        return out;
    }
}
