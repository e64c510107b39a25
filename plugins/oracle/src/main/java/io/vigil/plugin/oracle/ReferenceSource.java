package io.vigil.plugin.oracle;

import io.vigil.hyperliquid.http.ApiException;

/**
 * An independent exchange whose spot price serves as a reference for Hyperliquid's oracle: one
 * small adapter per exchange that knows its URL, its symbol names and its answer format.
 */
interface ReferenceSource {

    /** The source's name in options, labels and events ({@code binance}). */
    String name();

    /** The exchange's symbol for a Hyperliquid coin when the configuration names none. */
    String defaultSymbol(String asset);

    /**
     * The current price of {@code symbol}, standing for {@code asset}.
     *
     * @throws ApiException when the exchange cannot be reached, refuses, rate-limits or answers
     *                      something other than a positive price in its documented format
     */
    Quote quote(String asset, String symbol) throws ApiException, InterruptedException;
}
