package io.vigil.plugin.vault;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The vault at one moment: its cumulative all-time PnL (unaffected by deposits and withdrawals)
 * and its account value (affected by both).
 */
record PnlPoint(Instant time, BigDecimal pnl, BigDecimal accountValue) {
}
