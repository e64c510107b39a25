package io.vigil.plugin.oracle;

import io.vigil.hyperliquid.http.ApiException;
import io.vigil.hyperliquid.http.JsonHttpClient;
import io.vigil.hyperliquid.http.JsonResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Coinbase: {@code GET /v2/prices/BTC-USD/spot} answers
 * {@code {"data":{"amount":"97485.5","base":"BTC","currency":"USD"}}} with no timestamp. Coinbase
 * is not an input of Hyperliquid's oracle, so it is the most independent of the three sources.
 */
final class CoinbaseSource implements ReferenceSource {

    static final String NAME = "coinbase";
    static final String DEFAULT_URL = "https://api.coinbase.com";

    private final JsonHttpClient http;

    CoinbaseSource(JsonHttpClient http) {
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultSymbol(String asset) {
        return asset + "-USD";
    }

    @Override
    public Quote quote(String asset, String symbol) throws ApiException, InterruptedException {
        JsonResponse response = http.get("/v2/prices/" + URLEncoder.encode(symbol, StandardCharsets.UTF_8) + "/spot",
                "spot price " + symbol);
        return new Quote(NAME, asset, symbol, Prices.positive(response.body().field("data").field("amount")),
                response.receivedAt(), response.cacheAge());
    }
}
