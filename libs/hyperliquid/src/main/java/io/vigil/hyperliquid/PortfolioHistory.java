package io.vigil.hyperliquid;

import java.math.BigDecimal;
import java.util.List;

/**
 * One period of a portfolio ({@code day}, {@code week}, {@code month}, {@code allTime} and their
 * {@code perp*} variants). The API's newest point of each series is the current value.
 *
 * @param accountValueHistory account value over the period, oldest first; moves with deposits
 *                            and withdrawals as well as with trading
 * @param pnlHistory          cumulative PnL since the start of the period, oldest first (the first
 *                            point is 0); unaffected by deposits and withdrawals
 * @param volume              traded volume over the period ({@code vlm})
 */
public record PortfolioHistory(List<TimedValue> accountValueHistory, List<TimedValue> pnlHistory, BigDecimal volume) {
}
