package io.vigil.hyperliquid;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One candle of {@code candleSnapshot}: trade prices of one interval.
 *
 * @param openTime  start of the interval ({@code t})
 * @param closeTime end of the interval ({@code T})
 * @param open      first trade price ({@code o})
 * @param high      highest trade price ({@code h})
 * @param low       lowest trade price ({@code l})
 * @param close     last trade price ({@code c})
 */
public record Candle(Instant openTime, Instant closeTime, BigDecimal open, BigDecimal high, BigDecimal low,
                     BigDecimal close) {
}
