package io.vigil.plugin.oracle;

import io.vigil.hyperliquid.http.ApiException;
import io.vigil.hyperliquid.http.JsonCursor;
import io.vigil.hyperliquid.http.JsonHttpClient;
import io.vigil.hyperliquid.http.JsonResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Binance spot: {@code GET /api/v3/ticker/price?symbol=BTCUSDT} answers
 * {@code {"symbol":"BTCUSDT","price":"97470.12000000"}}, the last trade price as a string, with
 * no timestamp (request weight 2). Quotes are in USDT, not USD. One call per asset, so a symbol
 * Binance does not know fails only that asset (a {@code symbols=[…]} call would fail all).
 */
final class BinanceSource implements ReferenceSource {

    static final String NAME = "binance";
    static final String DEFAULT_URL = "https://data-api.binance.vision";

    private final JsonHttpClient http;

    BinanceSource(JsonHttpClient http) {
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultSymbol(String asset) {
        return asset + "USDT";
    }

    @Override
    public Quote quote(String asset, String symbol) throws ApiException, InterruptedException {
        JsonResponse response = http.get("/api/v3/ticker/price?symbol=" + URLEncoder.encode(symbol, StandardCharsets.UTF_8),
                "ticker " + symbol);
        JsonCursor body = response.body();
        String answered = body.field("symbol").text();
        if (!answered.equals(symbol)) {
            throw body.field("symbol").problem("is \"" + answered + "\", expected \"" + symbol + "\"");
        }
        return new Quote(NAME, asset, symbol, Prices.positive(body.field("price")), response.receivedAt(),
                response.cacheAge());
    }
}
