package io.vigil.hyperliquid;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to {@code clearinghouseState} for one address: margin and open perpetual positions.
 *
 * @param user                       the address asked about
 * @param marginSummary              all positions
 * @param crossMarginSummary         cross-margin positions only
 * @param crossMaintenanceMarginUsed maintenance margin in use (not in older answers)
 * @param withdrawable               withdrawable USD
 * @param positions                  open positions
 * @param time                       the API's timestamp (not in older answers)
 */
public record ClearinghouseState(String user, MarginSummary marginSummary, MarginSummary crossMarginSummary,
                                 Optional<BigDecimal> crossMaintenanceMarginUsed, BigDecimal withdrawable,
                                 List<AssetPosition> positions, Optional<Instant> time) {
}
