package io.vigil.plugin.oracle;

import io.vigil.hyperliquid.state.PollState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Staleness by comparison with the others: a price that has not changed for {@code frozenAfter}
 * while the other sources' median moved by at least {@link #MIN_MOVE_PCT} is stale. None of the
 * sources timestamps its prices, so an exchange that keeps serving an old price (a stuck feed, a
 * cache) is recognised by standing still while the market moves. A price that stands still while
 * the market stands still too is fine, and so is one that is stuck within 0.1 % of the market: it
 * cannot cause a false deviation at the default thresholds.
 *
 * <p>Per source and asset the store holds the price, since when it has been unchanged, and the
 * others' median at that moment ({@code frozen.<source>.<asset>}), so a restart does not reset the
 * clock.
 */
final class FrozenPrices {

    /** How far the others must have moved (percent) before a standing price counts as frozen. */
    static final double MIN_MOVE_PCT = 0.1;

    private final Duration frozenAfter;

    FrozenPrices(Duration frozenAfter) {
        this.frozenAfter = frozenAfter;
    }

    /**
     * Records {@code price} and says whether it is frozen.
     *
     * @param othersNow the median of the other sources now, or null when there are none
     * @return a description of the staleness when frozen
     */
    Optional<String> observe(PollState state, String source, String asset, BigDecimal price, BigDecimal othersNow,
                             Instant now) {
        String key = "frozen." + source + "." + asset;
        Map<String, Object> record = state.get(key).orElse(null);
        BigDecimal stored = record == null ? null : decimal(record.get("price"));
        if (stored == null || stored.compareTo(price) != 0) {
            state.put(key, record(price, now, othersNow));
            return Optional.empty();
        }
        Instant since = Instant.parse((String) record.get("since"));
        BigDecimal othersThen = decimal(record.get("others"));
        if (othersThen == null) {
            if (othersNow != null) {
                state.put(key, record(price, since, othersNow));
            }
            return Optional.empty();
        }
        Duration standing = Duration.between(since, now);
        if (standing.compareTo(frozenAfter) < 0 || othersNow == null) {
            return Optional.empty();
        }
        double moved = Math.abs(Prices.pct(othersNow, othersThen));
        if (moved < MIN_MOVE_PCT) {
            return Optional.empty();
        }
        return Optional.of(source + " " + asset + " unchanged at " + price.toPlainString() + " since " + since + " ("
                + standing.toSeconds() + " s) while the other sources moved " + Prices.round4(moved) + " % ("
                + othersThen.toPlainString() + " to " + othersNow.toPlainString() + ")");
    }

    private static Map<String, Object> record(BigDecimal price, Instant since, BigDecimal others) {
        Map<String, Object> r = new HashMap<>();
        r.put("price", price.toPlainString());
        r.put("since", since.toString());
        r.put("others", others == null ? null : others.toPlainString());
        return r;
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof String s ? new BigDecimal(s) : null;
    }
}
