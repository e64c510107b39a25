package io.vigil.plugin.oracle;

import io.vigil.hyperliquid.http.ApiException;
import io.vigil.hyperliquid.http.JsonCursor;
import io.vigil.hyperliquid.http.JsonHttpClient;
import io.vigil.hyperliquid.http.JsonResponse;
import io.vigil.hyperliquid.http.MalformedResponseException;
import io.vigil.hyperliquid.http.RateLimitedException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Kraken: {@code GET /0/public/Ticker?pair=XBTUSD} answers
 * {@code {"error":[],"result":{"XXBTZUSD":{"a":["30300.1","1","1.000"],"b":["30300.0","1","1.000"],…}}}}.
 * The price used is the mid of best ask {@code a[0]} and best bid {@code b[0]}: in a quiet market
 * the last trade {@code c[0]} can stand still for minutes and look stale while the book moves.
 *
 * <p>Kraken reports errors in the {@code error} array even with HTTP 200, and keys the result by
 * its own pair name ({@code XBTUSD} → {@code XXBTZUSD}, {@code ETHUSD} → {@code XETHZUSD}, but
 * {@code SOLUSD} → {@code SOLUSD}); one pair per call, so the single entry is the answer.
 */
final class KrakenSource implements ReferenceSource {

    static final String NAME = "kraken";
    static final String DEFAULT_URL = "https://api.kraken.com";

    private static final Map<String, String> KRAKEN_BASES = Map.of("BTC", "XBT", "DOGE", "XDG");

    private final JsonHttpClient http;

    KrakenSource(JsonHttpClient http) {
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultSymbol(String asset) {
        return KRAKEN_BASES.getOrDefault(asset, asset) + "USD";
    }

    @Override
    public Quote quote(String asset, String symbol) throws ApiException, InterruptedException {
        String call = NAME + ": GET " + http.baseUrl() + "/0/public/Ticker?pair=" + symbol;
        JsonResponse response = http.get("/0/public/Ticker?pair=" + URLEncoder.encode(symbol, StandardCharsets.UTF_8),
                "ticker " + symbol);
        JsonCursor body = response.body();
        List<JsonCursor> errors = body.field("error").elements();
        if (!errors.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (JsonCursor e : errors) {
                text.append(text.length() == 0 ? "" : "; ").append(e.text());
            }
            String message = call + " answered error " + text;
            if (text.indexOf("Rate limit") >= 0 || text.indexOf("Too many requests") >= 0) {
                java.time.Instant resume = http.pauseFor(JsonHttpClient.DEFAULT_RATE_LIMIT_PAUSE, "Kraken rate limit error");
                throw new RateLimitedException(message + "; no calls before " + resume, null, resume, false);
            }
            throw new ApiException(text.indexOf("Unknown asset pair") >= 0 ? ApiException.Reason.REJECTED
                    : ApiException.Reason.API_ERROR, message);
        }
        Map<String, JsonCursor> result = body.field("result").members();
        if (result.size() != 1) {
            throw body.field("result").problem("has " + result.size() + " pairs, expected the one asked for (" + symbol + ")");
        }
        JsonCursor ticker = result.values().iterator().next();
        BigDecimal ask = Prices.positive(ticker.field("a").index(0));
        BigDecimal bid = Prices.positive(ticker.field("b").index(0));
        if (bid.compareTo(ask) > 0) {
            throw crossed(ticker, bid, ask);
        }
        return new Quote(NAME, asset, symbol, Prices.median(List.of(ask, bid)), response.receivedAt(),
                response.cacheAge());
    }

    private static MalformedResponseException crossed(JsonCursor ticker, BigDecimal bid, BigDecimal ask) {
        return ticker.problem("has bid " + bid.toPlainString() + " above ask " + ask.toPlainString()
                + ", expected a book that is not crossed");
    }
}
