package io.vigil.hyperliquid;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One open position of a clearinghouse state ({@code assetPositions[].position}).
 *
 * @param coin           the perpetual
 * @param szi            signed size in coin units; negative is short
 * @param leverageType   {@code cross} or {@code isolated}
 * @param leverage       the leverage value
 * @param entryPx        average entry price; empty when the API sent null
 * @param positionValue  notional value (positive)
 * @param unrealizedPnl  unrealized PnL
 * @param returnOnEquity return on equity as a fraction
 * @param liquidationPx  liquidation price; empty when there is none
 * @param marginUsed     margin held by the position
 * @param maxLeverage    the asset's maximum leverage, when sent
 */
public record AssetPosition(String coin, BigDecimal szi, String leverageType, BigDecimal leverage,
                            Optional<BigDecimal> entryPx, BigDecimal positionValue, BigDecimal unrealizedPnl,
                            BigDecimal returnOnEquity, Optional<BigDecimal> liquidationPx, BigDecimal marginUsed,
                            OptionalInt maxLeverage) {

    /** The notional with the position's sign: positive long, negative short. */
    public BigDecimal signedNotional() {
        return szi.signum() < 0 ? positionValue.abs().negate() : positionValue.abs();
    }
}
