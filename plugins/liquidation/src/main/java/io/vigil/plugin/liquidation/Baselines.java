package io.vigil.plugin.liquidation;

import io.vigil.hyperliquid.state.PollState;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What is usual for each asset, kept in the state store under {@code baseline.<asset>} so that a
 * restart needs no warm-up: liquidation fills and notional per hour for the last
 * {@code baseline_period}, and the notional of the asset's last {@link #SIZES} liquidation fills.
 * Every liquidation is added once, when it is first counted (the cursor sees to that).
 */
final class Baselines {

    /** Liquidation fills whose sizes are kept per asset for the median. */
    static final int SIZES = 200;
    /** Fewest sizes for a median: with fewer, an asset has no usual size yet. */
    static final int MIN_SIZES = 20;
    private static final String PREFIX = "baseline.";

    /** Expected activity of an asset within one span of time, from its hourly history. */
    record Expected(double fills, double notional, double hours) {
    }

    private final PollState state;
    private final Duration period;
    private final Map<String, Map<String, Object>> loaded = new LinkedHashMap<>();

    Baselines(PollState state, Duration period) {
        this.state = state;
        this.period = period;
    }

    /** Counts one liquidation into its asset's hour and sizes; {@code since} starts a new asset's history. */
    void add(Liquidation l, Instant since) {
        Map<String, Object> b = baseline(l.asset());
        b.putIfAbsent("since", since.toEpochMilli());
        @SuppressWarnings("unchecked")
        Map<String, Object> hours = (Map<String, Object>) b.computeIfAbsent("hours", k -> new TreeMap<String, Object>());
        String hour = Long.toString(l.time().truncatedTo(ChronoUnit.HOURS).toEpochMilli());
        List<Number> bucket = numbers(hours.get(hour), 2);
        hours.put(hour, List.of(bucket.get(0).longValue() + 1, round2(bucket.get(1).doubleValue() + l.usd())));
        @SuppressWarnings("unchecked")
        List<Object> sizes = (List<Object>) b.computeIfAbsent("sizes", k -> new ArrayList<>());
        sizes.add(round2(l.usd()));
        while (sizes.size() > SIZES) {
            sizes.remove(0);
        }
    }

    /**
     * The fills and notional {@code asset} usually sees within {@code span}: its totals over the
     * last {@code baseline_period} of complete hours that ended before {@code windowStart} (so the
     * liquidations being analyzed are never part of their own baseline), per hour of history,
     * scaled to {@code span}. Empty until an hour of such history exists.
     */
    Optional<Expected> expected(String asset, Instant windowStart, Duration span) {
        Map<String, Object> b = baseline(asset);
        Instant hourStart = windowStart.truncatedTo(ChronoUnit.HOURS);
        Instant from = hourStart.minus(period);
        if (b.get("since") instanceof Number since && Instant.ofEpochMilli(since.longValue()).isAfter(from)) {
            from = Instant.ofEpochMilli(since.longValue());
        }
        double hours = Duration.between(from, hourStart).toMillis() / 3_600_000.0;
        if (hours < 1) {
            return Optional.empty();
        }
        long fills = 0;
        double notional = 0;
        if (b.get("hours") instanceof Map<?, ?> byHour) {
            for (Map.Entry<?, ?> e : byHour.entrySet()) {
                Instant h = Instant.ofEpochMilli(Long.parseLong(String.valueOf(e.getKey())));
                if (!h.isBefore(from.truncatedTo(ChronoUnit.HOURS)) && h.isBefore(hourStart)) {
                    List<Number> bucket = numbers(e.getValue(), 2);
                    fills += bucket.get(0).longValue();
                    notional += bucket.get(1).doubleValue();
                }
            }
        }
        double scale = span.toMillis() / 3_600_000.0 / hours;
        return Optional.of(new Expected(fills * scale, notional * scale, hours));
    }

    /** The median notional of the asset's last liquidation fills; empty with fewer than {@link #MIN_SIZES}. */
    Optional<Double> medianSize(String asset) {
        List<Double> sizes = new ArrayList<>();
        if (baseline(asset).get("sizes") instanceof List<?> list) {
            list.forEach(v -> sizes.add(((Number) v).doubleValue()));
        }
        if (sizes.size() < MIN_SIZES) {
            return Optional.empty();
        }
        sizes.sort(Double::compare);
        int n = sizes.size();
        return Optional.of(n % 2 == 1 ? sizes.get(n / 2) : (sizes.get(n / 2 - 1) + sizes.get(n / 2)) / 2);
    }

    /** Writes what changed, dropping hours older than the period and assets without any left. */
    void save(Instant now) {
        Instant oldest = now.truncatedTo(ChronoUnit.HOURS).minus(period);
        for (Map.Entry<String, Map<String, Object>> e : loaded.entrySet()) {
            Map<String, Object> b = e.getValue();
            if (b.get("hours") instanceof Map<?, ?> hours) {
                hours.keySet().removeIf(h -> Instant.ofEpochMilli(Long.parseLong(String.valueOf(h))).isBefore(oldest));
                if (hours.isEmpty()) {
                    state.remove(PREFIX + e.getKey());
                    continue;
                }
            }
            state.put(PREFIX + e.getKey(), b);
        }
    }

    /** Loads every asset's baseline, so that {@link #save} also ages out the quiet ones. */
    void loadAll() {
        for (String key : state.keys(PREFIX)) {
            baseline(key.substring(PREFIX.length()));
        }
    }

    private Map<String, Object> baseline(String asset) {
        return loaded.computeIfAbsent(asset, a -> {
            Map<String, Object> b = new LinkedHashMap<>(state.get(PREFIX + a).orElse(Map.of()));
            if (b.get("hours") instanceof Map<?, ?> hours) {
                b.put("hours", new TreeMap<>(hours));
            }
            if (b.get("sizes") instanceof List<?> sizes) {
                b.put("sizes", new ArrayList<>(sizes));
            }
            return b;
        });
    }

    private static List<Number> numbers(Object value, int n) {
        List<Number> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(v instanceof Number num ? num : 0));
        }
        while (out.size() < n) {
            out.add(0);
        }
        return out;
    }

    private static double round2(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }
}
