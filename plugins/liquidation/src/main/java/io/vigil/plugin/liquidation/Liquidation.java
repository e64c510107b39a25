package io.vigil.plugin.liquidation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * One liquidation fill, whichever source it came from.
 *
 * @param id        unique within the source: the trade id ({@code tid}) on Hyperliquid, the
 *                  record's {@code id} in a feed
 * @param time      when it filled
 * @param asset     the market ({@code ETH})
 * @param account   the liquidated account; empty when the source does not say
 * @param side      the side of the liquidated position
 * @param size      size in coin units
 * @param price     fill price
 * @param notional  size × price in USD (or the feed's own figure)
 * @param markPrice the mark price the liquidation was triggered at, when the source gives it
 * @param method    {@code market} or {@code backstop} on Hyperliquid; empty when unknown
 * @param via       the stream it was read from: the watched account on Hyperliquid, {@code feed}
 */
record Liquidation(String id, Instant time, String asset, String account, Side side, BigDecimal size,
                   BigDecimal price, BigDecimal notional, Optional<BigDecimal> markPrice, String method, String via) {

    /** The side of a liquidated position. */
    enum Side {
        LONG, SHORT;

        String wireName() {
            return this == LONG ? "long" : "short";
        }

        /** The {@code dir} word of a fill that opens or closes a position of this side. */
        String dirWord() {
            return this == LONG ? "Long" : "Short";
        }

        Side opposite() {
            return this == LONG ? SHORT : LONG;
        }
    }

    /** The account, or one key per record when the account is unknown, for counting accounts. */
    String accountKey() {
        return account.isEmpty() ? "unknown:" + id : account;
    }

    double usd() {
        return notional.doubleValue();
    }
}
