package io.vigil.plugin.liquidation;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One detected occurrence of a pattern in one asset.
 *
 * @param start    the first liquidation (or, for flash-loan-like, the first opening fill) it covers
 * @param end      the last liquidation it covers
 * @param evidence the liquidations it rests on, oldest first
 * @param accounts the accounts involved, most notional first
 * @param summary  what was seen, for the event title ({@code 12 accounts liquidated for 2.31 M USD within 5m})
 * @param details  the pattern's own measurements, for the event's attributes
 */
record PatternInstance(Pattern pattern, String asset, Instant start, Instant end, SuspicionScore score,
                       List<Liquidation> evidence, List<String> accounts, String summary, Map<String, Object> details) {

    double notional() {
        return evidence.stream().mapToDouble(Liquidation::usd).sum();
    }

    /** The sides of the liquidated positions: {@code long}, {@code short} or {@code mixed}. */
    String side() {
        LinkedHashSet<String> sides = new LinkedHashSet<>();
        evidence.forEach(l -> sides.add(l.side().wireName()));
        return sides.size() == 1 ? sides.iterator().next() : "mixed";
    }
}
