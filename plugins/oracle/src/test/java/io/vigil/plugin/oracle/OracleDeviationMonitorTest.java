package io.vigil.plugin.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import io.vigil.hyperliquid.fixture.FixtureServer;
import io.vigil.testkit.TestMonitorContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OracleDeviationMonitorTest {

    private final OracleDeviationMonitorFactory factory = new OracleDeviationMonitorFactory();
    private FixtureServer server;

    /** Every source on one loopback server, told apart by a path prefix. */
    static String fixtureName(FixtureServer.Request r) {
        String[] path = r.path().split("/");
        return switch (path[1]) {
            case "hl" -> FixtureServer.hyperliquidName(r);
            case "binance" -> "binance-" + r.param("symbol");
            case "coinbase" -> "coinbase-" + path[4];
            case "kraken" -> "kraken-" + r.param("pair");
            default -> "unknown";
        };
    }

    @BeforeEach
    void start() throws Exception {
        server = FixtureServer.start(OracleDeviationMonitorTest::fixtureName).use("normal");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestMonitorContext context(Object... extra) {
        Map<String, Object> options = new HashMap<>();
        options.put("hyperliquid_url", server.url("/hl"));
        options.put("binance_url", server.url("/binance"));
        options.put("coinbase_url", server.url("/coinbase"));
        options.put("kraken_url", server.url("/kraken"));
        options.put("request_timeout", "2s");
        options.put("min_call_interval", "0s");
        for (int i = 0; i < extra.length; i += 2) {
            options.put((String) extra[i], extra[i + 1]);
        }
        return TestMonitorContext.forFactory(factory, options);
    }

    private PolledMonitor monitor(TestMonitorContext ctx) {
        return (PolledMonitor) factory.create(ctx);
    }

    /** Polls once with the clock moved on by a minute, returning only what this poll emitted. */
    private static void pollAMinuteLater(PolledMonitor monitor, TestMonitorContext ctx) throws Exception {
        ctx.clearEmitted();
        ctx.advance(Duration.ofMinutes(1));
        monitor.poll();
    }

    private static double metric(TestMonitorContext ctx, String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<MetricSample> found = ctx.samples().stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted)).toList();
        assertEquals(1, found.size(), name + wanted + " in " + ctx.samples());
        return found.get(0).value();
    }

    private static boolean hasMetric(TestMonitorContext ctx, String name, String asset) {
        return ctx.samples().stream().anyMatch(s -> s.name().equals(name) && asset.equals(s.labels().get("asset")));
    }

    private static List<String> types(TestMonitorContext ctx) {
        return ctx.events().stream().map(Event::type).toList();
    }

    private static double pct(double value, double base) {
        return (value - base) / base * 100;
    }

    private long calls(String prefix) {
        return server.count(r -> r.path().startsWith(prefix));
    }

    @Test
    void aNormalMarketEmitsEveryMetricAndNoEvent() throws Exception {
        TestMonitorContext ctx = context();
        monitor(ctx).poll();

        assertEquals(List.of(), ctx.events());
        assertEquals(pct(97480.0, 97479.0), metric(ctx, "oracle.deviation_pct", "asset", "BTC"), 1e-9);
        assertEquals(pct(3650.1, 3650.0), metric(ctx, "oracle.deviation_pct", "asset", "ETH"), 1e-9);
        assertEquals(pct(201.45, 201.44), metric(ctx, "oracle.deviation_pct", "asset", "SOL"), 1e-9);
        assertEquals(pct(97495.0, 97480.0), metric(ctx, "oracle.mark_oracle_spread_pct", "asset", "BTC"), 1e-9);
        assertEquals(3, metric(ctx, "oracle.sources_answered", "asset", "ETH"));
        assertEquals(97479.0, metric(ctx, "oracle.reference_price", "asset", "BTC"));
        assertEquals(97480.0, metric(ctx, "oracle.oracle_price", "asset", "BTC"));
        assertEquals(97495.0, metric(ctx, "oracle.mark_price", "asset", "BTC"));
        assertEquals(97479.0, metric(ctx, "oracle.source_price", "asset", "BTC", "source", "kraken"));
        assertEquals(Math.abs(pct(97480.0, 97470.12)),
                metric(ctx, "oracle.source_deviation_pct", "asset", "BTC", "source", "binance"), 1e-9);
        for (String source : List.of("hyperliquid", "binance", "coinbase", "kraken")) {
            assertEquals(1, metric(ctx, "oracle.source_up", "source", source));
        }
        assertEquals(3 * 12 + 4, ctx.samples().size());
        assertEquals("percent", ctx.samples().stream().filter(s -> s.name().equals("oracle.deviation_pct"))
                .findFirst().orElseThrow().unit());
    }

    @Test
    void aDeviationThatPersistsIsOneEventNotOnePerPoll() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        server.use("eth-deviation-1.2", "normal");
        List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pollAMinuteLater(monitor, ctx);
            seen.addAll(types(ctx));
        }

        assertEquals(List.of("oracle.deviation"), seen);
    }

    @Test
    void theCriticalEventCarriesExactAttributes() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        monitor.poll();
        server.use("eth-deviation-1.2", "normal");
        pollAMinuteLater(monitor, ctx);

        assertEquals(List.of("oracle.deviation"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals(Severity.CRITICAL, event.severity());
        assertEquals("ETH", event.subject());
        assertEquals("oracle:deviation:ETH", event.fingerprint());
        assertEquals("ETH oracle 3693.8 is 1.2 % above the reference 3650.00000 (median of 3 sources): critical",
                event.title());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("asset", "ETH");
        expected.put("level", "critical");
        expected.put("previous_level", "normal");
        expected.put("deviation_pct", 1.2);
        expected.put("direction", "above");
        expected.put("oracle_price", new BigDecimal("3693.8"));
        expected.put("mark_price", new BigDecimal("3694.5"));
        expected.put("reference_price", new BigDecimal("3650.00000"));
        expected.put("mark_oracle_spread_pct", 0.019);
        expected.put("sources", Map.of("binance", new BigDecimal("3649.50000000"), "coinbase", new BigDecimal("3650.8"),
                "kraken", new BigDecimal("3650.00000")));
        expected.put("medium_pct", 0.5);
        expected.put("critical_pct", 1.0);
        expected.put("since", "2026-01-01T00:01:00Z");
        assertEquals(expected, event.attributes());
        assertEquals(1.2, metric(ctx, "oracle.deviation_pct", "asset", "ETH"), 1e-9);
    }

    @Test
    void backBelowTheThresholdIsOneResolvedEventWithTheSameFingerprint() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        server.use("eth-deviation-1.2", "normal");
        monitor.poll();
        server.use("normal");
        pollAMinuteLater(monitor, ctx);
        Event resolved = ctx.events().get(0);
        pollAMinuteLater(monitor, ctx);

        assertEquals(List.of(), ctx.events());
        assertEquals("oracle.deviation.resolved", resolved.type());
        assertEquals(Severity.INFO, resolved.severity());
        assertEquals("oracle:deviation:ETH", resolved.fingerprint());
        assertEquals("critical", resolved.attributes().get("previous_level"));
        assertEquals(1.2, resolved.attributes().get("peak_deviation_pct"));
        assertEquals(0.0027, resolved.attributes().get("deviation_pct"));
        assertEquals(60L, resolved.attributes().get("duration_seconds"));
        assertEquals("ETH oracle 3650.1 is back within 0.5 % of the reference 3650.00000 (0.0027 %)", resolved.title());
    }

    @Test
    void levelsStepUpAtOnceAndDownOnlyPastTheHysteresis() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        List<String> seen = new java.util.ArrayList<>();
        for (String c : List.of("eth-deviation-0.6", "eth-deviation-1.2", "eth-deviation-0.95", "eth-deviation-0.6",
                "normal")) {
            server.use(c, "normal");
            pollAMinuteLater(monitor, ctx);
            ctx.events().forEach(e -> seen.add(c + " " + e.type() + " " + e.severity().wireName() + " from "
                    + e.attributes().get("previous_level")));
        }

        assertEquals(List.of(
                "eth-deviation-0.6 oracle.deviation medium from normal",
                "eth-deviation-1.2 oracle.deviation critical from medium",
                // 0.95 % is below critical but within the 0.1-point hysteresis: no event
                "eth-deviation-0.6 oracle.deviation medium from critical",
                "normal oracle.deviation.resolved info from medium"), seen);
    }

    @Test
    void perAssetThresholdsReplaceTheDefaults() throws Exception {
        TestMonitorContext ctx = context("thresholds", Map.of("ETH", "1.5,3.0"));
        server.use("eth-deviation-1.2", "normal");
        monitor(ctx).poll();

        assertEquals(List.of(), ctx.events());
    }

    @Test
    void aRestartDuringADeviationDoesNotRaiseItAgainAndStillResolvesIt() throws Exception {
        TestMonitorContext ctx = context();
        server.use("eth-deviation-1.2", "normal");
        monitor(ctx).poll();
        assertEquals(1, ctx.events().size());

        PolledMonitor restarted = monitor(ctx);
        pollAMinuteLater(restarted, ctx);
        assertEquals(List.of(), ctx.events());

        server.use("normal");
        pollAMinuteLater(monitor(ctx), ctx);
        assertEquals(List.of("oracle.deviation.resolved"), types(ctx));
    }

    @Test
    void aSourceThatIsDownIsExcludedReportedOnceAndTheOthersGiveTheVerdict() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        server.use("binance-down", "normal");
        monitor.poll();

        assertEquals(List.of("oracle.source.degraded"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals(Severity.MEDIUM, event.severity());
        assertEquals("binance", event.subject());
        assertEquals("oracle:source:binance", event.fingerprint());
        assertEquals("binance excluded from the reference for BTC, ETH, SOL (failed: server_error)", event.title());
        String error = "binance: GET " + server.url("/binance") + "/api/v3/ticker/price?symbol=BTCUSDT answered HTTP 502: "
                + "<html><body><h1>502 Bad Gateway</h1></body></html>";
        assertEquals(error, event.attributes().get("error"));
        assertEquals("failed", event.attributes().get("problem"));
        assertEquals("server_error", event.attributes().get("reason"));
        assertEquals(List.of("BTC", "ETH", "SOL"), event.attributes().get("assets"));
        assertEquals("failed (server_error): " + error, ((Map<?, ?>) event.attributes().get("details")).get("SOL"));
        // after the first failure the source is not asked again in the same poll
        assertEquals(1, calls("/binance"));
        assertEquals(0, metric(ctx, "oracle.source_up", "source", "binance"));
        assertEquals(2, metric(ctx, "oracle.sources_answered", "asset", "BTC"));
        assertEquals(Math.abs(pct(97480.0, (97485.5 + 97479.0) / 2)), metric(ctx, "oracle.deviation_pct", "asset", "BTC"),
                1e-9);

        pollAMinuteLater(monitor, ctx);
        assertEquals(List.of(), ctx.events());

        server.use("normal");
        pollAMinuteLater(monitor, ctx);
        assertEquals(List.of("oracle.source.recovered"), types(ctx));
        Event recovered = ctx.events().get(0);
        assertEquals(Severity.INFO, recovered.severity());
        assertEquals("oracle:source:binance", recovered.fingerprint());
        assertEquals(120L, recovered.attributes().get("degraded_for_seconds"));
        assertEquals("binance usable again after 120 s (was failed: server_error)", recovered.title());
    }

    @Test
    void aRestartDuringASourceOutageDoesNotReportItAgain() throws Exception {
        TestMonitorContext ctx = context();
        server.use("binance-down", "normal");
        monitor(ctx).poll();
        pollAMinuteLater(monitor(ctx), ctx);

        assertEquals(List.of(), ctx.events());
    }

    @Test
    void http429WithRetryAfterPausesTheSourceUntilThenAndIsReportedOnce() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        server.use("binance-rate-limited", "normal");
        monitor.poll();

        Event event = ctx.events().get(0);
        assertEquals("oracle.source.degraded", event.type());
        assertEquals("rate_limited", event.attributes().get("reason"));
        assertEquals(120L, event.attributes().get("retry_after_seconds"));
        assertTrue(((String) event.attributes().get("error")).endsWith("answered HTTP 429 (rate limited), Retry-After 2m; "
                + "no calls before 2026-01-01T00:02:00Z"), (String) event.attributes().get("error"));
        assertEquals(2, metric(ctx, "oracle.sources_answered", "asset", "ETH"));
        assertEquals(1, calls("/binance"));

        server.use("normal");
        pollAMinuteLater(monitor, ctx);
        assertEquals(List.of(), ctx.events());
        assertEquals(1, calls("/binance"), "no call before Retry-After has passed");
        assertEquals(0, metric(ctx, "oracle.source_up", "source", "binance"));

        pollAMinuteLater(monitor, ctx);
        assertEquals(4, calls("/binance"));
        assertEquals(List.of("oracle.source.recovered"), types(ctx));
    }

    @Test
    void anAnswerServedFromAnOldCacheIsStaleAndExcluded() throws Exception {
        TestMonitorContext ctx = context();
        server.use("kraken-cached", "normal");
        monitor(ctx).poll();

        assertEquals(List.of("oracle.source.degraded"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals("stale", event.attributes().get("problem"));
        assertEquals("cached", event.attributes().get("reason"));
        assertEquals("kraken BTC answer was served from a cache 300 s old (Age header), more than max_source_age 30 s",
                event.attributes().get("error"));
        assertEquals(2, metric(ctx, "oracle.sources_answered", "asset", "SOL"));
        assertEquals(1, metric(ctx, "oracle.source_up", "source", "kraken"));
        assertEquals(97479.0, metric(ctx, "oracle.source_price", "asset", "BTC", "source", "kraken"));
        assertEquals((97470.12 + 97485.5) / 2, metric(ctx, "oracle.reference_price", "asset", "BTC"), 1e-9);
    }

    @Test
    void aPriceStandingStillWhileTheOthersMoveIsStaleAfterFrozenAfter() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        monitor.poll();
        server.use("eth-moved", "normal");
        for (int minute = 1; minute <= 4; minute++) {
            pollAMinuteLater(monitor, ctx);
            assertEquals(List.of(), ctx.events(), "minute " + minute);
            assertEquals(3, metric(ctx, "oracle.sources_answered", "asset", "ETH"));
        }
        pollAMinuteLater(monitor, ctx);

        assertEquals(List.of("oracle.source.degraded"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals("kraken", event.subject());
        assertEquals("frozen", event.attributes().get("reason"));
        assertEquals(List.of("ETH"), event.attributes().get("assets"));
        assertEquals("kraken ETH unchanged at 3650.00000 since 2026-01-01T00:00:00Z (300 s) while the other sources moved "
                + "0.3014 % (3650.15000000 to 3661.15000000)", event.attributes().get("error"));
        assertEquals(2, metric(ctx, "oracle.sources_answered", "asset", "ETH"));
        assertEquals(3, metric(ctx, "oracle.sources_answered", "asset", "BTC"), "BTC stood still everywhere: fine");
        assertEquals(Math.abs(pct(3661.0, 3661.15)), metric(ctx, "oracle.deviation_pct", "asset", "ETH"), 1e-9);
    }

    @Test
    void anOracleStandingStillWhileTheReferencesMoveIsReportedHigh() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        monitor.poll();
        server.use("eth-references-moved", "normal");
        for (int minute = 1; minute <= 5; minute++) {
            pollAMinuteLater(monitor, ctx);
        }

        assertEquals(List.of("oracle.source.degraded"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals(Severity.HIGH, event.severity());
        assertEquals("hyperliquid", event.subject());
        assertEquals("stale", event.attributes().get("problem"));
        assertEquals("hyperliquid oracle price frozen for ETH while the references moved", event.title());
        assertEquals("hyperliquid oracle ETH unchanged at 3650.1 since 2026-01-01T00:00:00Z (300 s) while the other "
                + "sources moved 0.3041 % (3650.00000 to 3661.10000)", event.attributes().get("error"));
    }

    @Test
    void aLoneOutlierIsExcludedInsteadOfCountingAsADeviation() throws Exception {
        TestMonitorContext ctx = context();
        server.use("coinbase-outlier", "normal");
        monitor(ctx).poll();

        assertEquals(List.of("oracle.source.degraded"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals("outlier", event.attributes().get("problem"));
        assertEquals(List.of("BTC"), event.attributes().get("assets"));
        assertEquals("coinbase BTC 99500.0 is 2.0733 % from the median of the fresh sources 97479.00000, more than "
                + "max_source_spread_pct 1.0", event.attributes().get("error"));
        assertEquals(Math.abs(pct(97480.0, 97474.56)), metric(ctx, "oracle.deviation_pct", "asset", "BTC"), 1e-9);
    }

    @Test
    void malformedHyperliquidJsonIsReportedOnceNamingWhatWasWrongAndGivesNoVerdict() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        server.use("hyperliquid-malformed", "normal");
        monitor.poll();

        assertEquals(List.of("oracle.source.degraded"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals(Severity.HIGH, event.severity());
        assertEquals("hyperliquid oracle prices unavailable for BTC, ETH, SOL (malformed); no verdict", event.title());
        assertEquals("hyperliquid metaAndAssetCtxs: the response is not valid JSON (Unexpected end-of-input in "
                + "VALUE_STRING at line 3 column 119)", event.attributes().get("error"));
        assertEquals(0, metric(ctx, "oracle.source_up", "source", "hyperliquid"));
        assertTrue(!hasMetric(ctx, "oracle.deviation_pct", "BTC"));
        assertEquals(3, metric(ctx, "oracle.sources_answered", "asset", "BTC"));

        pollAMinuteLater(monitor, ctx);
        assertEquals(List.of(), ctx.events());
    }

    @Test
    void fewerThanMinSourcesMeansNoVerdictAndOneWarning() throws Exception {
        TestMonitorContext ctx = context("sources", List.of("binance", "coinbase"), "assets", List.of("ETH"));
        PolledMonitor monitor = monitor(ctx);
        server.use("coinbase-down", "eth-deviation-1.2", "normal");
        monitor.poll();

        assertEquals(List.of("oracle.reference.insufficient", "oracle.source.degraded"), types(ctx));
        Event warning = ctx.events().get(0);
        assertEquals(Severity.MEDIUM, warning.severity());
        assertEquals("ETH: 1 usable reference price, fewer than min_sources 2; no deviation verdict", warning.title());
        assertEquals(Map.of("asset", "ETH", "sources_answered", 1, "min_sources", 2, "used", List.of("binance"),
                "excluded", Map.of("coinbase", "failed: server_error")), warning.attributes());
        assertTrue(!hasMetric(ctx, "oracle.deviation_pct", "ETH"), "a 1.2 % oracle gets no verdict from one source");
        assertEquals(1, metric(ctx, "oracle.sources_answered", "asset", "ETH"));

        pollAMinuteLater(monitor, ctx);
        assertEquals(List.of(), ctx.events());

        server.use("normal");
        pollAMinuteLater(monitor, ctx);
        assertEquals(List.of("oracle.reference.restored", "oracle.source.recovered"), types(ctx));
    }

    @Test
    void anErrorInKrakensBodyIsAFailureEvenWithHttp200AndSparesTheOtherAssets() throws Exception {
        TestMonitorContext ctx = context();
        server.use("kraken-unknown-pair", "normal");
        monitor(ctx).poll();

        assertEquals(List.of("oracle.source.degraded"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals("rejected", event.attributes().get("reason"));
        assertEquals(List.of("SOL"), event.attributes().get("assets"));
        assertEquals("kraken: GET " + server.url("/kraken") + "/0/public/Ticker?pair=SOLUSD answered error "
                + "EQuery:Unknown asset pair", event.attributes().get("error"));
        assertEquals(3, metric(ctx, "oracle.sources_answered", "asset", "BTC"));
        assertEquals(2, metric(ctx, "oracle.sources_answered", "asset", "SOL"));
    }

    @Test
    void anAssetSkippedAtASourceIsNotAskedThereAndNotReported() throws Exception {
        TestMonitorContext ctx = context("symbols", Map.of("kraken:SOL", "-"));
        monitor(ctx).poll();

        assertEquals(List.of(), ctx.events());
        assertEquals(0, server.count(r -> "SOLUSD".equals(r.param("pair"))));
        assertEquals(2, metric(ctx, "oracle.sources_answered", "asset", "SOL"));
    }

    @Test
    void anAssetHyperliquidDoesNotListIsReportedAsAConfigurationProblem() throws Exception {
        TestMonitorContext ctx = context("assets", List.of("BTC", "btc"), "sources", List.of("binance", "coinbase"));
        monitor(ctx).poll();

        Event event = ctx.events().stream().filter(e -> e.subject().equals("hyperliquid")).findFirst().orElseThrow();
        assertEquals("unknown_asset", event.attributes().get("reason"));
        assertEquals("hyperliquid lists no perpetual named btc in metaAndAssetCtxs; check the assets option (names are "
                + "case-sensitive)", event.attributes().get("error"));
    }
}
