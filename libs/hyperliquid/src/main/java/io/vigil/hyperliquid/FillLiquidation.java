package io.vigil.hyperliquid;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The {@code liquidation} object of a fill: present when the fill was part of a liquidation, on
 * the liquidated account's own fill ({@code dir} "Liquidated Cross Long"…) and on the fill of the
 * account that took the other side (for a backstop liquidation, the HLP Liquidator vault).
 *
 * @param liquidatedUser the liquidated account; optional in the API's schema
 * @param markPx         the mark price the liquidation was triggered at; sent as a string by most
 *                       parsers' reading of the API and as a number by others, both are accepted
 * @param method         {@code market} (market orders against the book) or {@code backstop} (the
 *                       position handed to the liquidator vault); empty when not sent
 */
public record FillLiquidation(Optional<String> liquidatedUser, Optional<BigDecimal> markPx, String method) {
}
