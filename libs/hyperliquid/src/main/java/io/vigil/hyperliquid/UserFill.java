package io.vigil.hyperliquid;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * One fill of an account, from {@code userFills} or {@code userFillsByTime}. Prices and sizes
 * are the exact decimals the API sent as strings.
 *
 * @param coin          the perpetual ({@code BTC}) or spot pair ({@code @107})
 * @param px            the fill price
 * @param sz            the filled size in coin units (positive)
 * @param side          {@code B} (the account bought) or {@code A} (it sold)
 * @param time          when it filled
 * @param dir           what it did to the position: {@code Open Long}, {@code Close Short},
 *                      {@code Liquidated Cross Long}…
 * @param closedPnl     realised PnL of the fill
 * @param tid           the trade id; one trade, one id, whichever side's fills it is read from
 *                      ({@code recentTrades} lists each trade once with both users)
 * @param hash          the transaction hash, when sent
 * @param oid           the order id, when sent
 * @param startPosition the signed position before the fill, when sent
 * @param liquidation   present when the fill was part of a liquidation
 */
public record UserFill(String coin, BigDecimal px, BigDecimal sz, String side, Instant time, String dir,
                       BigDecimal closedPnl, long tid, Optional<String> hash, Optional<Long> oid,
                       Optional<BigDecimal> startPosition, Optional<FillLiquidation> liquidation) {

    /** Whether the account bought. */
    public boolean buy() {
        return side.equals("B");
    }

    /** Price times size, in the quote currency (USD for perpetuals). */
    public BigDecimal notional() {
        return px.multiply(sz);
    }
}
