package io.vigil.hyperliquid;

import java.math.BigDecimal;

/**
 * {@code marginSummary} / {@code crossMarginSummary} of a clearinghouse state.
 *
 * @param accountValue    account equity
 * @param totalNtlPos     total notional of open positions
 * @param totalRawUsd     raw USD balance
 * @param totalMarginUsed margin in use
 */
public record MarginSummary(BigDecimal accountValue, BigDecimal totalNtlPos, BigDecimal totalRawUsd,
                            BigDecimal totalMarginUsed) {
}
