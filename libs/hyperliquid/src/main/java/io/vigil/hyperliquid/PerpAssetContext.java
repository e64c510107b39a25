package io.vigil.hyperliquid;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * One perpetual's entry of {@code metaAndAssetCtxs}: its universe entry joined with its asset
 * context (the two arrays are index-aligned). Every price and size is the exact decimal the API
 * sent as a string.
 *
 * @param coin         the universe name ({@code BTC}, {@code kPEPE})
 * @param index        its position in the universe (the asset id)
 * @param delisted     the universe's {@code isDelisted} flag
 * @param oraclePx     the validators' oracle price (updated about every 3 s)
 * @param markPx       the mark price used for margining and liquidations
 * @param midPx        the book mid; empty when the book is empty
 * @param funding      the current funding rate
 * @param openInterest open interest in coin units
 * @param prevDayPx    the price 24 h ago
 * @param dayNtlVlm    24 h notional volume
 * @param premium      the premium; empty when the API sent null
 * @param impactPxs    impact bid and ask; empty when the API sent null
 * @param dayBaseVlm   24 h volume in coin units
 */
public record PerpAssetContext(String coin, int index, boolean delisted, BigDecimal oraclePx, BigDecimal markPx,
                               Optional<BigDecimal> midPx, BigDecimal funding, BigDecimal openInterest,
                               BigDecimal prevDayPx, BigDecimal dayNtlVlm, Optional<BigDecimal> premium,
                               Optional<List<BigDecimal>> impactPxs, BigDecimal dayBaseVlm) {
}
