package io.vigil.plugin.oracle;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One reference price as a source answered it.
 *
 * @param source     the source's name ({@code binance})
 * @param asset      the Hyperliquid coin it stands for ({@code BTC})
 * @param symbol     the source's own symbol that was asked for ({@code BTCUSDT})
 * @param price      the price, exactly as sent; always positive
 * @param receivedAt when the answer arrived (none of the sources timestamps its prices)
 * @param cacheAge   how long a cache had held the answer ({@code Age} header), if one said so
 */
record Quote(String source, String asset, String symbol, BigDecimal price, Instant receivedAt,
             Optional<Duration> cacheAge) {
}
