package io.vigil.plugin.liquidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import io.vigil.hyperliquid.fixture.FixtureServer;
import io.vigil.testkit.TestMonitorContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code patterns} monitor against recorded-format Hyperliquid answers on loopback (see
 * src/test/resources/cases/README.md for what each case holds). Expected scores are written with
 * the formulas of the README, from the fixtures' figures.
 */
class LiquidationMonitorTest {

    static final String LIQUIDATOR = "0x2e3d94f0562703b25c83308a05046ddaf9a8dd14";
    static final String WHALE = "0x1769e230f7885e9153bb0e4fe515ee1d08fdab0b";
    static final String FRESH_F = "0xee5d71c20b3268021e3384aef675d6bca039e2e1";
    static final String FRESH_G = "0x7fc23e3b0f47f8d321f6404ec0155b5ef98149b4";
    static final String PROFIT_P = "0x25d77e91834cd41a9ab2a3816264b092ecf6b52f";
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final LiquidationMonitorFactory factory = new LiquidationMonitorFactory();
    private FixtureServer server;

    @BeforeEach
    void start() throws Exception {
        server = FixtureServer.start(FixtureServer::hyperliquidName);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestMonitorContext context(Object... extra) {
        Map<String, Object> options = new HashMap<>();
        options.put("hyperliquid_url", server.url(""));
        options.put("request_timeout", "2s");
        for (int i = 0; i < extra.length; i += 2) {
            options.put((String) extra[i], extra[i + 1]);
        }
        return TestMonitorContext.forFactory(factory, options);
    }

    private PolledMonitor monitor(TestMonitorContext ctx) {
        return (PolledMonitor) factory.create(ctx);
    }

    /** Moves the clock to {@code hhmm} after 2026-01-01T00:00Z and polls, keeping only what this poll emits. */
    static void pollAt(PolledMonitor monitor, TestMonitorContext ctx, String hhmm) throws Exception {
        String[] parts = hhmm.split(":");
        Instant at = START.plus(Duration.ofHours(Long.parseLong(parts[0]))).plus(Duration.ofMinutes(Long.parseLong(parts[1])));
        ctx.clearEmitted();
        ctx.advance(Duration.between(ctx.clock().instant(), at));
        monitor.poll();
    }

    static double metric(TestMonitorContext ctx, String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<MetricSample> found = ctx.samples().stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted)).toList();
        assertEquals(1, found.size(), name + wanted + " in " + ctx.samples());
        return found.get(0).value();
    }

    static List<Event> patterns(TestMonitorContext ctx) {
        return ctx.events().stream().filter(e -> e.type().equals("liquidation.pattern")).toList();
    }

    static List<String> types(TestMonitorContext ctx) {
        return ctx.events().stream().map(Event::type).toList();
    }

    /** One factor: {value, ramp start, ramp full, weight}. */
    static double[] f(double value, double start, double full, double weight) {
        return new double[] {value, start, full, weight};
    }

    /** The README's score: 100 × (1 − Π (1 − weight × clamp((value − start) / (full − start)))), to 2 decimals. */
    static double score(double[]... factors) {
        double calm = 1;
        for (double[] x : factors) {
            double strength = Math.max(0, Math.min(1, (x[0] - x[1]) / (x[2] - x[1])));
            calm *= 1 - x[3] * strength;
        }
        return round2(100 * (1 - calm));
    }

    static double round2(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    static double pct(double from, double to) {
        return Math.abs(to - from) / from * 100;
    }

    @Test
    void aCalmMarketCountsEveryLiquidationAndFindsNoPattern() throws Exception {
        server.use("calm");
        TestMonitorContext ctx = context();
        pollAt(monitor(ctx), ctx, "01:00");

        assertEquals(List.of(), ctx.events());
        assertEquals(2, metric(ctx, "liquidation.count", "asset", "BTC"));
        assertEquals(0.25 * 97010.0 + 0.12 * 97250.0, metric(ctx, "liquidation.notional", "asset", "BTC"), 1e-6);
        assertEquals(2, metric(ctx, "liquidation.count", "asset", "ETH"));
        assertEquals(4.1 * 3661.2 + 2.5 * 3640.0, metric(ctx, "liquidation.notional", "asset", "ETH"), 1e-6);
        assertEquals(2, metric(ctx, "liquidation.window_count", "asset", "SOL"));
        assertEquals(17001.0, metric(ctx, "liquidation.window_notional", "asset", "SOL"), 1e-6);
        assertEquals(0, metric(ctx, "liquidation.max_score"));
        assertEquals(0, metric(ctx, "liquidation.records_skipped"));
        assertEquals(1, metric(ctx, "liquidation.source_up", "stream", LIQUIDATOR));
    }

    @Test
    void theFirstRunReadsTheLiquidatorsFillsOfTheLastWindow() throws Exception {
        server.use("calm");
        TestMonitorContext ctx = context();
        pollAt(monitor(ctx), ctx, "01:00");

        assertEquals("{\"type\":\"userFillsByTime\",\"user\":\"" + LIQUIDATOR + "\",\"startTime\":"
                + START.plus(Duration.ofMinutes(30)).toEpochMilli() + "}", server.requests().get(0).body());
        assertEquals(1, server.requests().size());
    }

    @Test
    void thirteenEthLongsLiquidatedWithinFourMinutesAreAHighCascade() throws Exception {
        server.use("cascade");
        TestMonitorContext ctx = context();
        pollAt(monitor(ctx), ctx, "01:00");

        double expected = score(
                f(13, 3, 30, 0.5),                                 // 13 fills, no baseline yet: against 1
                f(2_347_477.0 / 100_000, 3, 30, 0.5),              // notional against cascade_min_notional_usd
                f(pct(3549.0, 3648.0), 1, 10, 0.3));               // fill prices 3648 down to 3549
        assertEquals(52.43, expected);
        Event e = patterns(ctx).get(0);
        assertEquals(List.of("liquidation.pattern"), types(ctx));
        assertEquals(Severity.HIGH, e.severity());
        assertEquals("ETH", e.subject());
        Map<String, Object> a = e.attributes();
        assertEquals("cascade", a.get("pattern"));
        assertEquals(expected, a.get("score"));
        assertEquals("high", a.get("level"));
        assertEquals("none", a.get("previous_level"));
        assertEquals(List.of("ETH"), a.get("assets"));
        assertEquals(13, a.get("account_count"));
        assertEquals(2_347_477.0, a.get("notional"));
        assertEquals(13, a.get("liquidations"));
        assertEquals("long", a.get("side"));
        assertEquals("2026-01-01T00:50:00Z", a.get("window_start"));
        assertEquals("2026-01-01T00:53:40Z", a.get("window_end"));
        assertEquals(220L, a.get("duration_seconds"));
        assertEquals(13, ((List<?>) a.get("evidence_ids")).size());
        assertEquals(null, a.get("expected_fills"));
        assertEquals(13.0, a.get("fills_ratio"));
        assertEquals("liquidation:cascade:ETH:2026-01-01T00:50:00Z", e.fingerprint());
        assertEquals("ETH cascade (score 52.4, high): 13 accounts liquidated for 2.35 M USD within 5m (no baseline yet), "
                + "price moved 2.79 %", e.title());
        assertEquals(expected, metric(ctx, "liquidation.max_score"));
        assertEquals(14, metric(ctx, "liquidation.count", "asset", "ETH"));
    }

    @Test
    void theSameCascadeIsNotRaisedAgainOnTheNextRun() throws Exception {
        server.use("cascade");
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        pollAt(monitor, ctx, "01:00");
        pollAt(monitor, ctx, "01:03");

        assertEquals(List.of(), ctx.events());
        assertEquals(52.43, metric(ctx, "liquidation.max_score"));
        assertEquals(0, metric(ctx, "liquidation.count", "asset", "ETH"));
        assertEquals(14, metric(ctx, "liquidation.window_count", "asset", "ETH"));
    }

    @Test
    void aFallThatDoesNotComeBackIsACascadeButNotManipulation() throws Exception {
        server.use("cascade");
        TestMonitorContext ctx = context();
        pollAt(monitor(ctx), ctx, "01:00");

        assertEquals(List.of("cascade"), patterns(ctx).stream().map(e -> e.attributes().get("pattern")).toList());
        assertEquals(1, server.count(r -> r.body().contains("\"candleSnapshot\"") && r.body().contains("\"ETH\"")));
    }

    @Test
    void fourLongsLiquidatedAtASolSpikeThatCameBackAreHighManipulation() throws Exception {
        server.use("spike-revert");
        TestMonitorContext ctx = context();
        pollAt(monitor(ctx), ctx, "01:00");

        double expected = score(
                f(pct(200.0, 188.0), 2, 10, 0.6),                  // open 200.0 ten minutes before, low 188.0
                f((199.0 - 188.0) / (200.0 - 188.0), 0.5, 1, 0.5), // back to 199.0 ten minutes after
                f(4, 3, 12, 0.3),
                f(399_767.0, 100_000, 10_000_000, 0.3));
        assertEquals(60.89, expected);
        assertEquals(List.of("liquidation.pattern"), types(ctx));
        Event e = ctx.events().get(0);
        assertEquals(Severity.HIGH, e.severity());
        Map<String, Object> a = e.attributes();
        assertEquals("manipulation", a.get("pattern"));
        assertEquals(expected, a.get("score"));
        assertEquals("SOL", e.subject());
        assertEquals("down", a.get("direction"));
        assertEquals(200.0, a.get("price_before"));
        assertEquals(188.0, a.get("price_extreme"));
        assertEquals(199.0, a.get("price_after"));
        assertEquals(6.0, a.get("spike_pct"));
        assertEquals(91.67, a.get("revert_pct"));
        assertEquals("hyperliquid candleSnapshot 1m", a.get("price_source"));
        assertEquals(new BigDecimal("188.1"), a.get("mark_price_min"));
        assertEquals(4, a.get("account_count"));
        assertEquals("2026-01-01T00:41:10Z", a.get("window_start"));
        assertEquals("liquidation:manipulation:SOL:2026-01-01T00:41:10Z", e.fingerprint());
        String candles = server.requests().stream().map(FixtureServer.Request::body)
                .filter(b -> b.contains("candleSnapshot")).findFirst().orElseThrow();
        assertEquals("{\"type\":\"candleSnapshot\",\"req\":{\"coin\":\"SOL\",\"interval\":\"1m\",\"startTime\":"
                + Instant.parse("2026-01-01T00:30:10Z").toEpochMilli() + ",\"endTime\":"
                + Instant.parse("2026-01-01T00:52:05Z").toEpochMilli() + "}}", candles);
    }

    @Test
    void oneWhaleLiquidatedInFourPartsIsAbnormalSizeAndNotAlsoConcentrated() throws Exception {
        server.use("whale");
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        pollAt(monitor, ctx, "00:30"); // 22 small BTC liquidations: the usual size
        assertEquals(List.of(), ctx.events());
        pollAt(monitor, ctx, "01:00");

        double median = 10_664.5; // of the 31 BTC liquidation fills counted so far
        double expected = score(f(7_961_380.0 / median, 20, 200, 0.6), f(7_961_380.0, 500_000, 10_000_000, 0.6));
        assertEquals(78.85, expected);
        assertEquals(List.of("liquidation.pattern"), types(ctx));
        Event e = ctx.events().get(0);
        Map<String, Object> a = e.attributes();
        assertEquals("abnormal_size", a.get("pattern"));
        assertEquals(Severity.HIGH, e.severity());
        assertEquals(expected, a.get("score"));
        assertEquals(List.of(WHALE), a.get("accounts"));
        assertEquals(7_961_380.0, a.get("notional"));
        assertEquals(4, a.get("liquidations"));
        assertEquals(median, a.get("median_fill_notional"));
        assertEquals(746.53, a.get("size_ratio"));
        assertEquals(List.of("backstop"), a.get("methods"));
        assertEquals(WHALE + " liquidated for 7.96 M USD in 4 fills, 746.5x the median fill of 10.7 k USD",
                e.title().substring(e.title().indexOf(": ") + 2));
        // its own fills were read for the flash-loan-like check: the position was opened two hours before
        assertEquals(1, server.count(r -> r.body().contains("\"user\":\"" + WHALE + "\"")));
    }

    @Test
    void freshShortsLiquidatedWhileAWatchedAccountTookProfitAreCriticalFlashLoanLike() throws Exception {
        server.use("flash");
        TestMonitorContext ctx = context("accounts", List.of(LIQUIDATOR, PROFIT_P));
        pollAt(monitor(ctx), ctx, "01:00");

        double expected = score(
                f(1_632_200.0, 250_000, 2_500_000, 0.5),         // F 1.313 M + G 319.2 k
                f(170, 600, 0, 0.4),                               // G opened 00:44:00, liquidated 00:46:50
                f(pct(0.0203, 0.0266), 1, 10, 0.3),                // pushed 31 % against the shorts
                f(1, 0, 1, 0.5));                                  // two fresh accounts, and P took profit
        assertEquals(82.7, expected);
        assertEquals(List.of("liquidation.pattern"), types(ctx));
        Event e = ctx.events().get(0);
        Map<String, Object> a = e.attributes();
        assertEquals("flash_loan", a.get("pattern"));
        assertEquals(Severity.CRITICAL, e.severity());
        assertEquals(expected, a.get("score"));
        assertEquals("JELLY", e.subject());
        assertEquals(List.of(FRESH_F, FRESH_G, PROFIT_P), a.get("accounts"));
        assertEquals(List.of(FRESH_F, FRESH_G), a.get("fresh_accounts"));
        assertEquals(Map.of(PROFIT_P, 402_000.0), a.get("profit_takers"));
        assertEquals(170L, a.get("seconds_open_to_liquidation"));
        assertEquals("2026-01-01T00:44:00Z", a.get("opened_at"));
        assertEquals("short", a.get("side"));
        assertEquals("2026-01-01T00:40:05Z", a.get("window_start"));
        assertEquals("2026-01-01T00:46:50Z", a.get("window_end"));
        assertEquals(1_632_200.0, a.get("notional"));
        assertEquals("{\"type\":\"userFillsByTime\",\"user\":\"" + FRESH_F + "\",\"startTime\":"
                + Instant.parse("2026-01-01T00:36:30Z").toEpochMilli() + ",\"endTime\":"
                + Instant.parse("2026-01-01T00:46:45Z").toEpochMilli() + "}",
                server.requests().stream().map(FixtureServer.Request::body).filter(b -> b.contains(FRESH_F)).findFirst()
                        .orElseThrow());
        assertEquals(expected, metric(ctx, "liquidation.max_score"));
    }

    @Test
    void noAccountFillsAreReadWhenMaxAccountLookupsIsZero() throws Exception {
        server.use("flash");
        TestMonitorContext ctx = context("accounts", List.of(LIQUIDATOR, PROFIT_P), "max_account_lookups", 0);
        pollAt(monitor(ctx), ctx, "01:00");

        assertEquals(List.of(), ctx.events());
        assertEquals(2, server.requests().size());
    }

    @Test
    void aRestartMidWindowCountsEachLiquidationOnceAndRaisesTheCascadeOnce() throws Exception {
        server.use("cascade-early");
        TestMonitorContext ctx = context();
        pollAt(monitor(ctx), ctx, "00:52"); // six accounts so far: a cascade, but scoring 21.3, not reported
        assertEquals(List.of(), ctx.events());
        assertEquals(7, metric(ctx, "liquidation.count", "asset", "ETH"));
        assertEquals(score(f(6, 3, 30, 0.5), f(1_160_088.0 / 100_000, 3, 30, 0.5), f(pct(3603.0, 3648.0), 1, 10, 0.3)),
                metric(ctx, "liquidation.max_score"));

        server.use("cascade"); // the source now has all of it, and answers from before the cursor again
        PolledMonitor restarted = monitor(ctx); // same state store, empty memory
        pollAt(restarted, ctx, "00:55");
        assertEquals(7, metric(ctx, "liquidation.count", "asset", "ETH"));
        assertEquals(1_187_389.0, metric(ctx, "liquidation.notional", "asset", "ETH"), 1e-6);
        assertEquals(14, metric(ctx, "liquidation.window_count", "asset", "ETH"));
        assertEquals(0, metric(ctx, "liquidation.count", "asset", "BTC"));
        Event e = patterns(ctx).get(0);
        assertEquals(List.of("liquidation.pattern"), types(ctx));
        assertEquals(52.43, e.attributes().get("score"));
        assertEquals("none", e.attributes().get("previous_level"));
        assertEquals("liquidation:cascade:ETH:2026-01-01T00:50:00Z", e.fingerprint());

        pollAt(restarted, ctx, "00:58");
        assertEquals(List.of(), ctx.events());
        assertEquals(0, metric(ctx, "liquidation.count", "asset", "ETH"));
        assertEquals(1, metric(ctx, "liquidation.count", "asset", "SOL")); // 00:57:40 was ahead of the 00:55 run

        PolledMonitor again = monitor(ctx);
        pollAt(again, ctx, "01:01");
        assertEquals(List.of(), ctx.events());
        assertEquals(0, metric(ctx, "liquidation.count", "asset", "ETH"));
        assertEquals(52.43, metric(ctx, "liquidation.max_score"));
    }

    @Test
    void malformedRecordsAreSkippedCountedAndReportedOnce() throws Exception {
        server.use("malformed");
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        pollAt(monitor, ctx, "01:00");

        assertEquals(List.of("liquidation.records.malformed"), types(ctx));
        Event e = ctx.events().get(0);
        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals(3, e.attributes().get("skipped"));
        assertEquals("hyperliquid userFillsByTime: $[9].px is \"abc\", expected a decimal string", e.attributes().get("error"));
        assertEquals(List.of("hyperliquid userFillsByTime: $[9].px is \"abc\", expected a decimal string",
                "hyperliquid userFillsByTime: $[10].time is missing, expected a time in epoch milliseconds",
                "hyperliquid userFillsByTime: $[11].liquidation.markPx is an object, expected a decimal string"),
                e.attributes().get("errors"));
        assertEquals("3 hyperliquid records not in the documented format, skipped: hyperliquid userFillsByTime: "
                + "$[9].px is \"abc\", expected a decimal string", e.title());
        assertEquals(3, metric(ctx, "liquidation.records_skipped"));
        assertEquals(2, metric(ctx, "liquidation.count", "asset", "ETH")); // the good ones are all there

        pollAt(monitor, ctx, "01:03");
        assertEquals(List.of(), ctx.events());
        assertEquals(0, metric(ctx, "liquidation.records_skipped"));

        pollAt(monitor(ctx), ctx, "01:06"); // a restart reads them all again
        assertEquals(List.of(), ctx.events());
        assertEquals(0, metric(ctx, "liquidation.records_skipped"));
    }

    @Test
    void aRateLimitedSourceIsReportedOnceAndItsRecoveryOnce() throws Exception {
        server.use("rate-limited");
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        pollAt(monitor, ctx, "01:00");

        assertEquals(List.of("liquidation.source.unavailable"), types(ctx));
        Event e = ctx.events().get(0);
        assertEquals(LIQUIDATOR, e.subject());
        assertEquals("rate_limited", e.attributes().get("reason"));
        assertEquals("hyperliquid: POST " + server.url("/info") + " answered HTTP 429 (rate limited), Retry-After 1m; "
                + "no calls before 2026-01-01T01:01:00Z", e.attributes().get("error"));
        assertEquals(0, metric(ctx, "liquidation.source_up", "stream", LIQUIDATOR));

        pollAt(monitor, ctx, "01:03");
        assertEquals(List.of(), ctx.events());

        server.use("calm");
        pollAt(monitor, ctx, "01:06");
        assertEquals(List.of("liquidation.source.restored"), types(ctx));
        assertEquals(360L, ctx.events().get(0).attributes().get("unavailable_for_seconds"));
        assertEquals(1, metric(ctx, "liquidation.count", "asset", "SOL")); // 00:57:40; 00:35:02 is before the window
    }

    @Test
    void everyEventAndSampleIsStampedAtTheRunOrThePatternsEnd() throws Exception {
        server.use("cascade");
        TestMonitorContext ctx = context();
        pollAt(monitor(ctx), ctx, "01:00");

        assertEquals(Instant.parse("2026-01-01T00:53:40Z"), ctx.events().get(0).time());
        assertTrue(ctx.samples().stream().allMatch(s -> s.time().equals(Instant.parse("2026-01-01T01:00:00Z"))));
    }

    @Test
    void theSameCascadeInAnAssetThatIsLiquidatedEveryTwoMinutesScoresBelowReporting() throws Exception {
        server.use("busy-cascade");
        TestMonitorContext ctx = context("manipulation_min_count", 4);
        PolledMonitor monitor = monitor(ctx);
        for (String at : List.of("00:30", "01:00", "01:30", "02:00", "02:30")) {
            pollAt(monitor, ctx, at); // 65 ETH liquidations of 60 k USD, one every 110 s until 02:00
            assertEquals(List.of(), ctx.events());
        }
        pollAt(monitor, ctx, "03:00");

        // the two complete hours before the window (00:00-02:00) are the baseline, scaled to 5 minutes
        double expectedFills = 65 / 2.0 / 12;
        double expectedNotional = 3_914_625.0 / 2 / 12;
        double expected = score(
                f(12 / expectedFills, 3, 30, 0.5),
                f(2_338_377.0 / expectedNotional, 3, 30, 0.5),
                f(pct(3549.0, 3648.0), 1, 10, 0.3));
        assertEquals(27.67, expected);
        assertEquals(expected, metric(ctx, "liquidation.max_score"));
        assertEquals(List.of(), ctx.events());
    }

    @Test
    void twoOfSixAccountsHoldingNinetyPercentOfTheWindowAreHighConcentrated() throws Exception {
        server.use("concentrated");
        TestMonitorContext ctx = context();
        pollAt(monitor(ctx), ctx, "01:00");

        double share = (1_200_000.0 + 900_000.0) / 2_340_000.0 * 100;
        double expected = score(f(share, 60, 95, 0.6), f(2_340_000.0, 1_000_000, 20_000_000, 0.5));
        assertEquals(52.72, expected);
        assertEquals(List.of("liquidation.pattern"), types(ctx)); // the two are large, but no usual size is known yet
        Event e = ctx.events().get(0);
        Map<String, Object> a = e.attributes();
        assertEquals("concentrated", a.get("pattern"));
        assertEquals(Severity.HIGH, e.severity());
        assertEquals(expected, a.get("score"));
        assertEquals("HYPE", e.subject());
        assertEquals(List.of("0xe2ba46ac4e5fe88a3aa753992dbe870e5a10bda5", "0xe50f6c53ae27c31fb810f5d290fa833bc5d246cc"),
                a.get("accounts"));
        assertEquals(Map.of("0xe2ba46ac4e5fe88a3aa753992dbe870e5a10bda5", 1_200_000.0,
                "0xe50f6c53ae27c31fb810f5d290fa833bc5d246cc", 900_000.0), a.get("top_accounts"));
        assertEquals(6, a.get("window_accounts"));
        assertEquals("mixed", a.get("side"));
        assertEquals("2026-01-01T00:38:00Z", a.get("window_start"));
        assertEquals("2026-01-01T00:55:00Z", a.get("window_end"));
        assertEquals("HYPE concentrated (score 52.7, high): 2 of 6 liquidated accounts hold 89.7 % of the 2.34 M USD "
                + "liquidated in the window", e.title());
    }

    @Test
    void aCascadeThatGrowsIsReportedAgainOnlyWhenItsLevelRises() throws Exception {
        server.use("cascade-early");
        TestMonitorContext ctx = context("min_score", 20);
        PolledMonitor monitor = monitor(ctx);
        pollAt(monitor, ctx, "00:52");
        Event first = patterns(ctx).get(0);
        assertEquals(Severity.MEDIUM, first.severity());
        assertEquals(21.26, first.attributes().get("score"));

        server.use("cascade");
        pollAt(monitor, ctx, "00:55");
        Event second = patterns(ctx).get(0);
        assertEquals(Severity.HIGH, second.severity());
        assertEquals("medium", second.attributes().get("previous_level"));
        assertEquals(first.fingerprint(), second.fingerprint());

        pollAt(monitor, ctx, "00:58");
        assertEquals(List.of(), patterns(ctx));
    }
}
