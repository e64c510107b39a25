package io.vigil.hyperliquid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.hyperliquid.fixture.FixtureServer;
import io.vigil.hyperliquid.fixture.MutableClock;
import io.vigil.hyperliquid.http.ApiException;
import io.vigil.hyperliquid.http.JsonCursor;
import io.vigil.hyperliquid.http.MalformedResponseException;
import io.vigil.hyperliquid.http.RateLimitedException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HyperliquidClientTest {

    static final String HLP = "0xdfc24b077bc1425ad1dea75bcb6f8158e10df303";
    static final String STRATEGY_B = "0x31ca8395cf837de08b24da3f660e77761dfb974b";

    private FixtureServer server;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private HyperliquidClient client;

    @BeforeEach
    void start() throws Exception {
        server = FixtureServer.start(FixtureServer::hyperliquidName).use("client");
        client = HyperliquidClient.create(server.url(""), Duration.ofSeconds(2), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void metaAndAssetCtxsIsOnePostToInfoWithTheTypeAsBody() throws Exception {
        client.metaAndAssetCtxs();

        FixtureServer.Request request = server.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/info", request.path());
        assertEquals("{\"type\":\"metaAndAssetCtxs\"}", request.body());
    }

    @Test
    void readsEveryAssetContextFieldAsTheExactDecimalTheApiSent() throws Exception {
        PerpMarkets markets = client.metaAndAssetCtxs();

        PerpAssetContext btc = markets.asset("BTC").orElseThrow();
        assertEquals(0, btc.index());
        assertEquals(new BigDecimal("97480.0"), btc.oraclePx());
        assertEquals(new BigDecimal("97495.0"), btc.markPx());
        assertEquals(Optional.of(new BigDecimal("97496.5")), btc.midPx());
        assertEquals(new BigDecimal("0.0000125"), btc.funding());
        assertEquals(new BigDecimal("28123.4"), btc.openInterest());
        assertEquals(new BigDecimal("97010.0"), btc.prevDayPx());
        assertEquals(new BigDecimal("1.9e9"), btc.dayNtlVlm());
        assertEquals(Optional.of(new BigDecimal("0.0001")), btc.premium());
        assertEquals(Optional.of(List.of(new BigDecimal("97495.0"), new BigDecimal("97498.0"))), btc.impactPxs());
        assertEquals(new BigDecimal("19600.2"), btc.dayBaseVlm());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), markets.receivedAt());
    }

    @Test
    void nullMidPremiumAndImpactPricesAreEmptyNotErrors() throws Exception {
        PerpAssetContext eth = client.metaAndAssetCtxs().asset("ETH").orElseThrow();

        assertEquals(1, eth.index());
        assertEquals(new BigDecimal("3650.1"), eth.oraclePx());
        assertEquals(Optional.empty(), eth.midPx());
        assertEquals(Optional.empty(), eth.premium());
        assertEquals(Optional.empty(), eth.impactPxs());
    }

    @Test
    void universeNamesAndDelistedFlagsAreJoinedWithTheIndexAlignedContexts() throws Exception {
        PerpMarkets markets = client.metaAndAssetCtxs();

        assertEquals(List.of("BTC", "ETH", "MATIC"), markets.coins());
        assertTrue(markets.asset("MATIC").orElseThrow().delisted());
        assertFalse(markets.asset("BTC").orElseThrow().delisted());
        assertEquals(Optional.empty(), markets.asset("DOGE"));
    }

    @Test
    void invalidJsonIsAMalformedResponseSayingWhereTheParserStopped() {
        server.use("malformed-json");

        MalformedResponseException e = assertThrows(MalformedResponseException.class, client::metaAndAssetCtxs);
        assertEquals(ApiException.Reason.MALFORMED, e.reason());
        assertEquals("hyperliquid metaAndAssetCtxs: the response is not valid JSON "
                + "(Unexpected end-of-input in field name at line 2 column 82)", e.getMessage());
    }

    @Test
    void aNullRequiredPriceNamesItsJsonPathAndSparesTheOtherAssets() throws Exception {
        server.use("wrong-shape");
        PerpMarkets markets = client.metaAndAssetCtxs();

        MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> markets.asset("ETH"));
        assertEquals("hyperliquid metaAndAssetCtxs: $[1][1].oraclePx is null, expected a decimal string", e.getMessage());
        assertEquals(new BigDecimal("97480.0"), markets.asset("BTC").orElseThrow().oraclePx());
        assertEquals(List.of("BTC"), markets.assets().stream().map(PerpAssetContext::coin).toList());
    }

    @Test
    void contextsNotAlignedWithTheUniverseAreMalformed() {
        server.use("misaligned");

        MalformedResponseException e = assertThrows(MalformedResponseException.class, client::metaAndAssetCtxs);
        assertEquals("hyperliquid metaAndAssetCtxs: $[1] has 1 asset contexts but $[0].universe has 2 entries; "
                + "they must be index-aligned", e.getMessage());
    }

    @Test
    void http429PausesEveryCallUntilRetryAfterHasPassed() throws Exception {
        server.use("rate-limited");

        RateLimitedException first = assertThrows(RateLimitedException.class, client::metaAndAssetCtxs);
        assertEquals(Optional.of(Duration.ofSeconds(120)), first.retryAfter());
        assertEquals(Instant.parse("2026-01-01T00:02:00Z"), first.resumeAt());
        assertEquals("hyperliquid: POST " + server.url("/info") + " answered HTTP 429 (rate limited), "
                + "Retry-After 2m; no calls before 2026-01-01T00:02:00Z", first.getMessage());

        server.use("client");
        clock.advance(Duration.ofSeconds(119));
        RateLimitedException paused = assertThrows(RateLimitedException.class, client::metaAndAssetCtxs);
        assertTrue(paused.notCalled());
        assertEquals("hyperliquid: not called, paused until 2026-01-01T00:02:00Z after HTTP 429 (rate limited)",
                paused.getMessage());
        assertEquals(1, server.requests().size());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(3, client.metaAndAssetCtxs().coins().size());
        assertEquals(2, server.requests().size());
    }

    @Test
    void retryAfterGivenAsAnHttpDateIsHonouredToo() {
        server.use("rate-limited-date");

        RateLimitedException e = assertThrows(RateLimitedException.class, client::metaAndAssetCtxs);
        assertEquals(Optional.of(Duration.ofMinutes(5)), e.retryAfter());
        assertEquals(Instant.parse("2026-01-01T00:05:00Z"), e.resumeAt());
    }

    @Test
    void aSlowAnswerIsATimeoutNamingTheRequestAndTheLimit() throws Exception {
        server.use("slow");
        HyperliquidClient impatient = HyperliquidClient.create(server.url(""), Duration.ofMillis(300), clock);

        ApiException e = assertThrows(ApiException.class, impatient::metaAndAssetCtxs);
        assertEquals(ApiException.Reason.TIMEOUT, e.reason());
        assertEquals("hyperliquid: POST " + server.url("/info") + " timed out after 300ms", e.getMessage());
    }

    @Test
    void http5xxIsAServerErrorQuotingTheStartOfTheBody() {
        server.use("server-error");

        ApiException e = assertThrows(ApiException.class, client::metaAndAssetCtxs);
        assertEquals(ApiException.Reason.SERVER_ERROR, e.reason());
        assertTrue(e.reason().retryable());
        assertEquals("hyperliquid: POST " + server.url("/info") + " answered HTTP 502: <html><head><title>502 Bad "
                + "Gateway</title></head><body>cloudflare</body></html>", e.getMessage());
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        String url = server.url("");
        server.close();

        ApiException e = assertThrows(ApiException.class,
                () -> HyperliquidClient.create(url, Duration.ofSeconds(1), clock).metaAndAssetCtxs());
        assertEquals(ApiException.Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().startsWith("hyperliquid: POST " + url + "/info failed: ConnectException"), e.getMessage());
    }

    @Test
    void vaultDetailsReadsPortfolioSeriesNumbersAndChildren() throws Exception {
        VaultDetails vault = client.vaultDetails(HLP).orElseThrow();

        assertEquals("{\"type\":\"vaultDetails\",\"vaultAddress\":\"" + HLP + "\"}", server.requests().get(0).body());
        assertEquals("Hyperliquidity Provider (HLP)", vault.name());
        assertEquals(HLP, vault.vaultAddress());
        assertEquals(List.of("day", "allTime"), List.copyOf(vault.portfolio().keySet()));
        PortfolioHistory day = vault.period("day").orElseThrow();
        assertEquals(new TimedValue(Instant.ofEpochMilli(1734397526634L), new BigDecimal("329265410.90790099")),
                day.accountValueHistory().get(2));
        assertEquals(new TimedValue(Instant.ofEpochMilli(1734397526634L), new BigDecimal("-534589.09209901")),
                day.pnlHistory().get(2));
        assertEquals(new BigDecimal("55823015.6599999964"), day.volume());
        assertEquals(new BigDecimal("0.36387129259090006"), vault.apr().orElseThrow());
        assertEquals(new BigDecimal("742557.680863"), vault.maxWithdrawable().orElseThrow());
        assertFalse(vault.closed());
        assertEquals("parent", vault.relationship().type());
        assertEquals(List.of("0x010461c14e146ac35fe42271bdc1134ee31c703a", "0x2e3d94f0562703b25c83308a05046ddaf9a8dd14",
                STRATEGY_B), vault.relationship().childAddresses());
    }

    @Test
    void vaultDetailsOfAnUnknownAddressIsEmpty() throws Exception {
        server.use("no-vault");

        assertEquals(Optional.empty(), client.vaultDetails("0x0000000000000000000000000000000000000001"));
    }

    @Test
    void clearinghouseStateReadsMarginAndSignedPositions() throws Exception {
        ClearinghouseState state = client.clearinghouseState(STRATEGY_B);

        assertEquals(new BigDecimal("1182.312496"), state.marginSummary().accountValue());
        assertEquals(new BigDecimal("171.740766"), state.marginSummary().totalMarginUsed());
        assertEquals(Optional.of(new BigDecimal("85.87")), state.crossMaintenanceMarginUsed());
        assertEquals(Optional.of(Instant.ofEpochMilli(1700000000000L)), state.time());
        AssetPosition btc = state.positions().get(0);
        assertEquals(new BigDecimal("-211.64542"), btc.signedNotional());
        assertEquals("cross", btc.leverageType());
        assertEquals(Optional.of(new BigDecimal("173198.69592357")), btc.liquidationPx());
        AssetPosition eth = state.positions().get(1);
        assertEquals(new BigDecimal("3223.169914"), eth.signedNotional());
        assertEquals(Optional.empty(), eth.liquidationPx());
        assertEquals("isolated", eth.leverageType());
    }

    @Test
    void anyOtherRequestTypeGoesThroughInfoAndIsReadWithACursor() throws Exception {
        JsonCursor trades = client.info("recentTrades", Map.of("coin", "ETH"));

        assertEquals("{\"type\":\"recentTrades\",\"coin\":\"ETH\"}", server.requests().get(0).body());
        assertEquals(new BigDecimal("3650.5"), trades.index(0).field("px").decimal());
        MalformedResponseException e = assertThrows(MalformedResponseException.class,
                () -> trades.index(0).field("liquidation").field("markPx").decimal());
        assertEquals("hyperliquid recentTrades: $[0].liquidation.markPx is missing, expected a decimal string",
                e.getMessage());
        assertInstanceOf(ApiException.class, e);
    }

    static final String LIQUIDATOR = "0x2e3d94f0562703b25c83308a05046ddaf9a8dd14";

    @Test
    void userFillsByTimeSendsTheRangeInEpochMillisAndReadsLiquidationObjects() throws Exception {
        UserFills answer = client.userFillsByTime(LIQUIDATOR, Instant.ofEpochMilli(1735000000000L),
                Instant.ofEpochMilli(1735000009000L));

        assertEquals("{\"type\":\"userFillsByTime\",\"user\":\"" + LIQUIDATOR
                + "\",\"startTime\":1735000000000,\"endTime\":1735000009000}", server.requests().get(0).body());
        assertEquals(5, answer.size());
        assertEquals(3, answer.fills().size());
        UserFill backstop = answer.fills().get(0);
        assertEquals("BTC", backstop.coin());
        assertTrue(backstop.buy());
        assertEquals(new BigDecimal("10002.40"), backstop.notional());
        assertEquals(99887766L, backstop.tid());
        assertEquals(Instant.ofEpochMilli(1735000000123L), backstop.time());
        assertEquals("Open Long", backstop.dir());
        assertEquals(Optional.of(1234567L), backstop.oid());
        assertEquals(Optional.of(new FillLiquidation(Optional.of("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                Optional.of(new BigDecimal("50000.0")), "backstop")), backstop.liquidation());
        assertEquals(Optional.empty(), answer.fills().get(2).liquidation());
        assertEquals(new BigDecimal("-0.25686"), answer.fills().get(2).closedPnl());
    }

    @Test
    void aLiquidationMarkPriceSentAsANumberIsReadLikeAString() throws Exception {
        UserFill market = client.userFillsByTime(LIQUIDATOR, Instant.ofEpochMilli(1735000000000L), null).fills().get(1);

        assertEquals(Optional.of(new FillLiquidation(Optional.empty(), Optional.of(new BigDecimal("3651.25")), "market")),
                market.liquidation());
        assertFalse(server.requests().get(0).body().contains("endTime"));
    }

    @Test
    void malformedFillsAreSetApartWithTheirPathAndTheOthersKept() throws Exception {
        UserFills answer = client.userFillsByTime(LIQUIDATOR, Instant.ofEpochMilli(1735000000000L), null);

        assertEquals(2, answer.malformed().size());
        UserFills.Malformed badPrice = answer.malformed().get(0);
        assertEquals("hyperliquid userFillsByTime: $[3].px is \"abc\", expected a decimal string",
                badPrice.error().getMessage());
        assertEquals(Optional.of(Instant.ofEpochMilli(1735000003000L)), badPrice.time());
        assertTrue(badPrice.json().startsWith("{\"coin\":\"ETH\",\"px\":\"abc\""), badPrice.json());
        UserFills.Malformed noTime = answer.malformed().get(1);
        assertEquals("hyperliquid userFillsByTime: $[4].time is missing, expected a time in epoch milliseconds",
                noTime.error().getMessage());
        assertEquals(Optional.empty(), noTime.time());
    }

    @Test
    void candleSnapshotWrapsItsFieldsInReqAndReadsTradePrices() throws Exception {
        List<Candle> candles = client.candleSnapshot("BTC", "1m", Instant.ofEpochMilli(1735000020000L),
                Instant.ofEpochMilli(1735000140000L));

        assertEquals("{\"type\":\"candleSnapshot\",\"req\":{\"coin\":\"BTC\",\"interval\":\"1m\","
                + "\"startTime\":1735000020000,\"endTime\":1735000140000}}", server.requests().get(0).body());
        assertEquals(new Candle(Instant.ofEpochMilli(1735000020000L), Instant.ofEpochMilli(1735000079999L),
                new BigDecimal("50010.0"), new BigDecimal("50020.0"), new BigDecimal("49850.0"), new BigDecimal("49880.0")),
                candles.get(0));
        assertEquals(2, candles.size());
    }
}
