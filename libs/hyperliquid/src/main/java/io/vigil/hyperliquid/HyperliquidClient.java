package io.vigil.hyperliquid;

import io.vigil.hyperliquid.http.ApiException;
import io.vigil.hyperliquid.http.JsonCursor;
import io.vigil.hyperliquid.http.JsonHttpClient;
import io.vigil.hyperliquid.http.JsonResponse;
import io.vigil.hyperliquid.http.MalformedResponseException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Hyperliquid info API: {@code POST {base}/info} with a JSON body {@code {"type": ...}}.
 *
 * <p>Typed reads for the requests the Vigil plugins use ({@link #metaAndAssetCtxs},
 * {@link #vaultDetails}, {@link #clearinghouseState}, {@link #userFills}, {@link #userFillsByTime},
 * {@link #candleSnapshot}) and {@link #info} for any other request type ({@code recentTrades}…),
 * whose answer the caller reads through a {@link JsonCursor}. Numbers the API sends as decimal strings become exact {@link BigDecimal}s.
 *
 * <p>Every failure is an {@link ApiException}: a timeout, an unreachable host, HTTP 429 (a
 * {@link io.vigil.hyperliquid.http.RateLimitedException}; the client then makes no call before the
 * server's {@code Retry-After}), another HTTP error, or a {@link MalformedResponseException} that
 * names the JSON path that was not in the documented format. Thread-safe (calls are serialized).
 */
public final class HyperliquidClient {

    /** Most fills one {@code userFills} or {@code userFillsByTime} answer holds; page on when an answer is this long. */
    public static final int FILLS_PAGE_LIMIT = 2000;

    /** The mainnet API. */
    public static final String MAINNET = "https://api.hyperliquid.xyz";
    /** The testnet API. */
    public static final String TESTNET = "https://api.hyperliquid-testnet.xyz";

    private final JsonHttpClient http;

    /** A client sending through {@code http}, whose base URL is the API root (without {@code /info}). */
    public HyperliquidClient(JsonHttpClient http) {
        this.http = http;
    }

    /**
     * A client of its own for {@code baseUrl}.
     *
     * @throws IllegalArgumentException when {@code baseUrl} is not an absolute http(s) URL
     */
    public static HyperliquidClient create(String baseUrl, Duration timeout, Clock clock) {
        return new HyperliquidClient(new JsonHttpClient("hyperliquid", baseUrl, JsonHttpClient.newHttpClient(timeout),
                timeout, Duration.ZERO, clock));
    }

    /** The underlying HTTP client (its base URL, rate-limit pause). */
    public JsonHttpClient http() {
        return http;
    }

    /**
     * Any info request: {@code {"type": type, ...fields}}.
     *
     * @return the answer's body; read it with the cursor so format problems name their path
     */
    public JsonCursor info(String type, Map<String, ?> fields) throws ApiException, InterruptedException {
        return request(type, fields).body();
    }

    private JsonResponse request(String type, Map<String, ?> fields) throws ApiException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.putAll(fields);
        return http.post("/info", body, type);
    }

    /** Every perpetual's universe entry and asset context ({@code metaAndAssetCtxs}). */
    public PerpMarkets metaAndAssetCtxs() throws ApiException, InterruptedException {
        JsonResponse response = request("metaAndAssetCtxs", Map.of());
        JsonCursor root = response.body();
        if (!root.isArray() || root.node().size() < 2) {
            throw root.problem("is " + (root.isArray() ? "an array of " + root.node().size() : "not an array")
                    + ", expected [meta, assetCtxs]");
        }
        List<JsonCursor> universe = root.index(0).field("universe").elements();
        List<JsonCursor> contexts = root.index(1).elements();
        if (universe.size() != contexts.size()) {
            throw root.index(1).problem("has " + contexts.size() + " asset contexts but $[0].universe has "
                    + universe.size() + " entries; they must be index-aligned");
        }
        Map<String, Object> byCoin = new LinkedHashMap<>();
        for (int i = 0; i < universe.size(); i++) {
            String coin = universe.get(i).field("name").text();
            if (byCoin.containsKey(coin)) {
                continue;
            }
            try {
                byCoin.put(coin, assetContext(coin, i, universe.get(i).field("isDelisted").bool(false), contexts.get(i)));
            } catch (MalformedResponseException e) {
                byCoin.put(coin, e);
            }
        }
        return new PerpMarkets(byCoin, response.receivedAt());
    }

    private static PerpAssetContext assetContext(String coin, int index, boolean delisted, JsonCursor ctx)
            throws MalformedResponseException {
        if (!ctx.isObject()) {
            throw ctx.problem("is not an object, expected the asset context of " + coin);
        }
        Optional<List<BigDecimal>> impact = Optional.empty();
        JsonCursor impactPxs = ctx.field("impactPxs");
        if (impactPxs.present()) {
            List<BigDecimal> pxs = new ArrayList<>();
            for (JsonCursor px : impactPxs.elements()) {
                pxs.add(px.decimal());
            }
            impact = Optional.of(List.copyOf(pxs));
        }
        return new PerpAssetContext(coin, index, delisted,
                ctx.field("oraclePx").decimal(),
                ctx.field("markPx").decimal(),
                ctx.field("midPx").optionalDecimal(),
                ctx.field("funding").decimal(),
                ctx.field("openInterest").decimal(),
                ctx.field("prevDayPx").decimal(),
                ctx.field("dayNtlVlm").decimal(),
                ctx.field("premium").optionalDecimal(),
                impact,
                ctx.field("dayBaseVlm").decimal());
    }

    /**
     * A vault's details and portfolio ({@code vaultDetails}).
     *
     * @return empty when the API answers {@code null}: no vault has that address
     */
    public Optional<VaultDetails> vaultDetails(String vaultAddress) throws ApiException, InterruptedException {
        JsonCursor root = request("vaultDetails", Map.of("vaultAddress", vaultAddress)).body();
        if (root.isNull()) {
            return Optional.empty();
        }
        if (!root.isObject()) {
            throw root.problem("is not an object, expected the vault's details or null");
        }
        Map<String, PortfolioHistory> portfolio = new LinkedHashMap<>();
        for (JsonCursor entry : root.field("portfolio").elements()) {
            String period = entry.index(0).text();
            JsonCursor data = entry.index(1);
            portfolio.put(period, new PortfolioHistory(
                    series(data.field("accountValueHistory")),
                    series(data.field("pnlHistory")),
                    data.field("vlm").optionalDecimal().orElse(BigDecimal.ZERO)));
        }
        JsonCursor relationship = root.field("relationship");
        VaultRelationship rel = VaultRelationship.NORMAL;
        if (relationship.present()) {
            String type = relationship.field("type").text();
            List<String> children = new ArrayList<>();
            JsonCursor childAddresses = relationship.field("data").field("childAddresses");
            if (childAddresses.present()) {
                for (JsonCursor child : childAddresses.elements()) {
                    children.add(child.text());
                }
            }
            rel = new VaultRelationship(type, List.copyOf(children));
        }
        return Optional.of(new VaultDetails(
                root.field("name").optionalText().orElse(""),
                root.field("vaultAddress").text(),
                root.field("leader").optionalText().orElse(""),
                root.field("description").optionalText().orElse(""),
                java.util.Collections.unmodifiableMap(portfolio),
                root.field("apr").optionalDecimal(),
                root.field("isClosed").bool(false),
                root.field("allowDeposits").bool(true),
                rel,
                root.field("maxDistributable").optionalDecimal(),
                root.field("maxWithdrawable").optionalDecimal()));
    }

    private static List<TimedValue> series(JsonCursor points) throws MalformedResponseException {
        List<TimedValue> out = new ArrayList<>();
        for (JsonCursor point : points.elements()) {
            out.add(new TimedValue(point.index(0).epochMillis(), point.index(1).decimal()));
        }
        return List.copyOf(out);
    }

    /** Margin and open perpetual positions of an address ({@code clearinghouseState}). */
    public ClearinghouseState clearinghouseState(String user) throws ApiException, InterruptedException {
        JsonCursor root = request("clearinghouseState", Map.of("user", user)).body();
        if (!root.isObject()) {
            throw root.problem("is not an object, expected the clearinghouse state of " + user);
        }
        List<AssetPosition> positions = new ArrayList<>();
        for (JsonCursor entry : root.field("assetPositions").elements()) {
            JsonCursor p = entry.field("position");
            JsonCursor leverage = p.field("leverage");
            JsonCursor maxLeverage = p.field("maxLeverage");
            positions.add(new AssetPosition(
                    p.field("coin").text(),
                    p.field("szi").decimal(),
                    leverage.field("type").text(),
                    leverage.field("value").decimal(),
                    p.field("entryPx").optionalDecimal(),
                    p.field("positionValue").decimal(),
                    p.field("unrealizedPnl").decimal(),
                    p.field("returnOnEquity").decimal(),
                    p.field("liquidationPx").optionalDecimal(),
                    p.field("marginUsed").decimal(),
                    maxLeverage.present() ? OptionalInt.of((int) maxLeverage.integer()) : OptionalInt.empty()));
        }
        JsonCursor time = root.field("time");
        return new ClearinghouseState(user,
                marginSummary(root.field("marginSummary")),
                marginSummary(root.field("crossMarginSummary")),
                root.field("crossMaintenanceMarginUsed").optionalDecimal(),
                root.field("withdrawable").decimal(),
                List.copyOf(positions),
                time.present() ? Optional.of(time.epochMillis()) : Optional.empty());
    }

    private static MarginSummary marginSummary(JsonCursor s) throws MalformedResponseException {
        return new MarginSummary(s.field("accountValue").decimal(), s.field("totalNtlPos").decimal(),
                s.field("totalRawUsd").decimal(), s.field("totalMarginUsed").decimal());
    }

    /** The most recent fills of {@code user}, at most {@link #FILLS_PAGE_LIMIT} ({@code userFills}). */
    public UserFills userFills(String user) throws ApiException, InterruptedException {
        JsonResponse response = request("userFills", Map.of("user", user));
        return fills(user, response);
    }

    /**
     * The fills of {@code user} from {@code startTime} on, oldest first, at most
     * {@link #FILLS_PAGE_LIMIT} per answer ({@code userFillsByTime}); ask again from the newest
     * time received for more. Only the 10 000 most recent fills of an account can be reached.
     *
     * @param endTime the end of the range, or {@code null} for up to now
     */
    public UserFills userFillsByTime(String user, Instant startTime, Instant endTime)
            throws ApiException, InterruptedException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("user", user);
        fields.put("startTime", startTime.toEpochMilli());
        if (endTime != null) {
            fields.put("endTime", endTime.toEpochMilli());
        }
        return fills(user, request("userFillsByTime", fields));
    }

    private static UserFills fills(String user, JsonResponse response) throws MalformedResponseException {
        JsonCursor root = response.body();
        List<JsonCursor> elements = root.elements();
        List<UserFill> fills = new ArrayList<>();
        List<UserFills.Malformed> malformed = new ArrayList<>();
        for (JsonCursor f : elements) {
            try {
                fills.add(fill(f));
            } catch (MalformedResponseException e) {
                Optional<Instant> time = Optional.empty();
                try {
                    time = Optional.of(f.field("time").epochMillis());
                } catch (MalformedResponseException unreadable) {
                    // the time is what was wrong, or it is missing too
                }
                malformed.add(new UserFills.Malformed(time, f.node().toString(), e));
            }
        }
        return new UserFills(user, List.copyOf(fills), List.copyOf(malformed), elements.size(), response.receivedAt());
    }

    private static UserFill fill(JsonCursor f) throws MalformedResponseException {
        if (!f.isObject()) {
            throw f.problem("is not an object, expected a fill");
        }
        BigDecimal px = f.field("px").decimal();
        if (px.signum() <= 0) {
            throw f.field("px").problem("is " + px.toPlainString() + ", expected a positive price");
        }
        BigDecimal sz = f.field("sz").decimal();
        if (sz.signum() <= 0) {
            throw f.field("sz").problem("is " + sz.toPlainString() + ", expected a positive size");
        }
        String side = f.field("side").text();
        if (!side.equals("A") && !side.equals("B")) {
            throw f.field("side").problem("is \"" + side + "\", expected \"A\" or \"B\"");
        }
        JsonCursor oid = f.field("oid");
        Optional<FillLiquidation> liquidation = Optional.empty();
        JsonCursor liq = f.field("liquidation");
        if (liq.present()) {
            if (!liq.isObject()) {
                throw liq.problem("is not an object, expected {liquidatedUser, markPx, method}");
            }
            liquidation = Optional.of(new FillLiquidation(liq.field("liquidatedUser").optionalText(),
                    liq.field("markPx").optionalDecimal(), liq.field("method").optionalText().orElse("")));
        }
        return new UserFill(f.field("coin").text(), px, sz, side, f.field("time").epochMillis(), f.field("dir").text(),
                f.field("closedPnl").decimal(), f.field("tid").integer(), f.field("hash").optionalText(),
                oid.present() ? Optional.of(oid.integer()) : Optional.empty(),
                f.field("startPosition").optionalDecimal(), liquidation);
    }

    /**
     * Candles of {@code coin} with open times from {@code startTime} to {@code endTime}
     * ({@code candleSnapshot}); {@code interval} is {@code 1m}, {@code 5m}, {@code 1h}…
     */
    public List<Candle> candleSnapshot(String coin, String interval, Instant startTime, Instant endTime)
            throws ApiException, InterruptedException {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("coin", coin);
        req.put("interval", interval);
        req.put("startTime", startTime.toEpochMilli());
        req.put("endTime", endTime.toEpochMilli());
        JsonCursor root = request("candleSnapshot", Map.of("req", req)).body();
        List<Candle> candles = new ArrayList<>();
        for (JsonCursor c : root.elements()) {
            candles.add(new Candle(c.field("t").epochMillis(), c.field("T").epochMillis(), c.field("o").decimal(),
                    c.field("h").decimal(), c.field("l").decimal(), c.field("c").decimal()));
        }
        return List.copyOf(candles);
    }
}
