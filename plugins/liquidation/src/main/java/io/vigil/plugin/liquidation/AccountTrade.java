package io.vigil.plugin.liquidation;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A fill that is not a liquidation, of an account whose fills the monitor reads (a watched
 * account, or a liquidated account looked up for the flash-loan-like check).
 *
 * @param dir       {@code Open Long}, {@code Close Short}…
 * @param closedPnl realised PnL of the fill
 */
record AccountTrade(String id, Instant time, String asset, String account, String dir, BigDecimal price,
                    BigDecimal size, BigDecimal closedPnl) {

    boolean opens(Liquidation.Side side) {
        return dir.equals("Open " + side.dirWord());
    }

    boolean closes(Liquidation.Side side) {
        return dir.equals("Close " + side.dirWord());
    }
}
