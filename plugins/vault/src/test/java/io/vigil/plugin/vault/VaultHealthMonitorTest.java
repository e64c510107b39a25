package io.vigil.plugin.vault;

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

class VaultHealthMonitorTest {

    static final String HLP = "0xdfc24b077bc1425ad1dea75bcb6f8158e10df303";

    private final VaultHealthMonitorFactory factory = new VaultHealthMonitorFactory();
    private FixtureServer server;

    @BeforeEach
    void start() throws Exception {
        server = FixtureServer.start(FixtureServer::hyperliquidName).use("hlp-normal");
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

    private static void pollLater(PolledMonitor monitor, TestMonitorContext ctx, Duration later) throws Exception {
        ctx.clearEmitted();
        ctx.advance(later);
        monitor.poll();
    }

    private static double metric(TestMonitorContext ctx, String name, String... extraLabels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("vault", HLP);
        for (int i = 0; i < extraLabels.length; i += 2) {
            wanted.put(extraLabels[i], extraLabels[i + 1]);
        }
        List<MetricSample> found = ctx.samples().stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted)).toList();
        assertEquals(1, found.size(), name + wanted + " in " + ctx.samples());
        return found.get(0).value();
    }

    private static List<String> types(TestMonitorContext ctx) {
        return ctx.events().stream().map(Event::type).toList();
    }

    @Test
    void aHealthyVaultEmitsItsMetricsAndNoEvent() throws Exception {
        TestMonitorContext ctx = context();
        monitor(ctx).poll();

        assertEquals(List.of(), ctx.events());
        assertEquals(1, metric(ctx, "vault.up"));
        assertEquals(400_290_000.0, metric(ctx, "vault.account_value"));
        assertEquals(20_000.0 / 400_310_000 * 100, metric(ctx, "vault.drawdown_24h_pct"), 1e-9);
        assertEquals(10_000.0, metric(ctx, "vault.pnl_1h"));
        assertEquals(290_000.0, metric(ctx, "vault.pnl_24h"));
        assertEquals(6.25, metric(ctx, "vault.largest_position_share_pct"), 1e-9);
        assertEquals(7.5, metric(ctx, "vault.margin_usage_pct"), 1e-9);
        assertEquals(0.1325, metric(ctx, "vault.leverage"), 1e-9);
        assertEquals(0.0, metric(ctx, "vault.anomaly_score"));
        assertEquals(0.0, metric(ctx, "vault.anomaly_points", "factor", "drawdown"));
        assertEquals(14, ctx.samples().size());
        // the vault and its three children, read from relationship.childAddresses
        assertEquals(List.of("vaultDetails", "clearinghouseState", "clearinghouseState", "clearinghouseState",
                "clearinghouseState"), server.requests().stream().map(r -> r.json().get("type").asText()).toList());
    }

    @Test
    void aWithdrawalLowersTheAccountValueButIsNoLoss() throws Exception {
        // hlp-normal: about 30 M left the vault 12 h ago while its PnL stayed flat
        TestMonitorContext ctx = context();
        monitor(ctx).poll();

        assertTrue(metric(ctx, "vault.drawdown_24h_pct") < 0.01);
        assertEquals(290_000.0, metric(ctx, "vault.pnl_24h"));
        assertEquals(0.0, metric(ctx, "vault.anomaly_score"));
    }

    @Test
    void aDrawdownScoresHighWithTheExactFactorsBehindIt() throws Exception {
        TestMonitorContext ctx = context();
        server.use("hlp-drawdown");
        monitor(ctx).poll();

        assertEquals(List.of("vault.anomaly"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals(Severity.HIGH, event.severity());
        assertEquals(HLP, event.subject());
        assertEquals("vault:anomaly:" + HLP, event.fingerprint());
        assertEquals("Hyperliquidity Provider (HLP) anomaly score 57.1 (high): 24h drawdown 2.99 %, last hour -0.51 %, "
                + "largest position BTC 37.18 % of account value, margin in use 46.15 %", event.title());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("vault", HLP);
        expected.put("name", "Hyperliquidity Provider (HLP)");
        expected.put("level", "high");
        expected.put("previous_level", "normal");
        expected.put("score", 57.1);
        expected.put("high_score", 50.0);
        expected.put("critical_score", 70.0);
        expected.put("points", Map.of("drawdown", 41.42, "loss_1h", 8.92, "position_share", 14.32, "margin_usage", 6.15));
        expected.put("account_value", new BigDecimal("390000000.0"));
        expected.put("drawdown_24h_pct", 2.9851);
        expected.put("drawdown_24h", new BigDecimal("12000000.0"));
        expected.put("peak_time", "2025-12-31T18:00:00Z");
        expected.put("pnl_1h", new BigDecimal("-2000000.0"));
        expected.put("pnl_1h_pct", -0.5102);
        expected.put("pnl_1h_window_seconds", 7200L);
        expected.put("largest_position_coin", "BTC");
        expected.put("largest_position_notional", new BigDecimal("145000000.0"));
        expected.put("largest_position_share_pct", 37.1795);
        expected.put("margin_usage_pct", 46.1538);
        expected.put("leverage", 0.4436);
        expected.put("since", "2026-01-01T00:00:00Z");
        assertEquals(expected, event.attributes());
        assertEquals(57.09610101258218, metric(ctx, "vault.anomaly_score"), 1e-9);
        assertEquals(2.9850746268656714, metric(ctx, "vault.drawdown_24h_pct"), 1e-9);
        assertEquals(-2_000_000.0, metric(ctx, "vault.pnl_1h"));
        assertEquals(-0.5102040816326531, metric(ctx, "vault.pnl_1h_pct"), 1e-9);
        assertEquals(37.17948717948718, metric(ctx, "vault.largest_position_share_pct"), 1e-9);
        assertEquals(46.15384615384615, metric(ctx, "vault.margin_usage_pct"), 1e-9);
    }

    @Test
    void aDeeperDrawdownEscalatesToCriticalOnceThenRecoveryResolvesIt() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        server.use("hlp-drawdown");
        monitor.poll();
        server.use("hlp-drawdown-deeper");
        pollLater(monitor, ctx, Duration.ofMinutes(5));

        assertEquals(List.of("vault.anomaly"), types(ctx));
        Event critical = ctx.events().get(0);
        assertEquals(Severity.CRITICAL, critical.severity());
        assertEquals(91.83, critical.attributes().get("score"));
        assertEquals("high", critical.attributes().get("previous_level"));
        assertEquals(Map.of("drawdown", 74.59, "loss_1h", 60.0, "position_share", 14.32, "margin_usage", 6.15),
                critical.attributes().get("points"));
        assertEquals(4.9751, critical.attributes().get("drawdown_24h_pct"));
        assertEquals("2026-01-01T00:00:00Z", critical.attributes().get("since"), "since the first crossing");

        pollLater(monitor, ctx, Duration.ofMinutes(5));
        assertEquals(List.of(), ctx.events(), "still critical: no second event");

        server.use("hlp-recovered", "hlp-normal");
        pollLater(monitor, ctx, Duration.ofMinutes(5));
        assertEquals(List.of("vault.anomaly.resolved"), types(ctx));
        Event resolved = ctx.events().get(0);
        assertEquals(Severity.INFO, resolved.severity());
        assertEquals("vault:anomaly:" + HLP, resolved.fingerprint());
        assertEquals("critical", resolved.attributes().get("previous_level"));
        assertEquals(91.83, resolved.attributes().get("peak_score"));
        assertEquals(0.0, resolved.attributes().get("score"));
        assertEquals(900L, resolved.attributes().get("duration_seconds"));
    }

    @Test
    void aRestartDuringAnAnomalyDoesNotRaiseItAgain() throws Exception {
        TestMonitorContext ctx = context();
        server.use("hlp-drawdown");
        monitor(ctx).poll();
        assertEquals(1, ctx.events().size());

        pollLater(monitor(ctx), ctx, Duration.ofMinutes(5));
        assertEquals(List.of(), ctx.events());
    }

    @Test
    void ownSamplesMeasureTheLastHourMoreCloselyThanTheVaultsTwoHourPoints() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        monitor.poll();
        // 70 minutes later the vault has lost 2 M since the sample this monitor took at the first poll
        server.use("hlp-later", "hlp-normal");
        pollLater(monitor, ctx, Duration.ofMinutes(70));

        assertEquals(-2_000_000.0, metric(ctx, "vault.pnl_1h"));
        assertEquals(-2_000_000.0 / 400_290_000 * 100, metric(ctx, "vault.pnl_1h_pct"), 1e-9);
    }

    @Test
    void aRateLimitedApiIsReportedOnceAndNotCalledBeforeRetryAfter() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        server.use("vault-rate-limited");
        monitor.poll();

        assertEquals(List.of("vault.data.unavailable"), types(ctx));
        Event event = ctx.events().get(0);
        assertEquals(Severity.MEDIUM, event.severity());
        assertEquals("rate_limited", event.attributes().get("reason"));
        assertEquals("hyperliquid: POST " + server.url("/info") + " answered HTTP 429 (rate limited), Retry-After 10m; "
                + "no calls before 2026-01-01T00:10:00Z", event.attributes().get("error"));
        assertEquals(0, metric(ctx, "vault.up"));
        assertEquals(1, ctx.samples().size());

        server.use("hlp-normal");
        pollLater(monitor, ctx, Duration.ofMinutes(5));
        assertEquals(List.of(), ctx.events());
        assertEquals(1, server.requests().size(), "paused until Retry-After has passed");

        pollLater(monitor, ctx, Duration.ofMinutes(5));
        assertEquals(List.of("vault.data.restored"), types(ctx));
        assertEquals(600L, ctx.events().get(0).attributes().get("unavailable_for_seconds"));
        assertEquals(1, metric(ctx, "vault.up"));
    }

    @Test
    void malformedVaultDataNamesTheJsonPathThatWasWrong() throws Exception {
        TestMonitorContext ctx = context();
        server.use("vault-malformed");
        monitor(ctx).poll();

        Event event = ctx.events().get(0);
        assertEquals("vault.data.unavailable", event.type());
        assertEquals("malformed", event.attributes().get("reason"));
        assertEquals("hyperliquid vaultDetails: $.portfolio[0][1].pnlHistory[3][1] is null, expected a decimal string",
                event.attributes().get("error"));
    }

    @Test
    void anUnknownVaultAddressIsReportedWithWhatToCheck() throws Exception {
        TestMonitorContext ctx = context();
        server.use("vault-missing");
        monitor(ctx).poll();

        Event event = ctx.events().get(0);
        assertEquals("not_found", event.attributes().get("reason"));
        assertEquals("hyperliquid has no vault at " + HLP + " (vaultDetails answered null); check vault_address",
                event.attributes().get("error"));
    }

    @Test
    void vaultDataThatStoppedUpdatingIsNotScored() throws Exception {
        TestMonitorContext ctx = context();
        ctx.advance(Duration.ofHours(4));
        monitor(ctx).poll();

        assertEquals(List.of("vault.data.unavailable"), types(ctx));
        assertEquals("the newest point of Hyperliquidity Provider (HLP)'s portfolio is from 2026-01-01T00:00:00Z, older "
                + "than max_data_age 3h; the vault data is not updating", ctx.events().get(0).attributes().get("error"));
    }

    @Test
    void whileDataIsUnavailableAnOpenAnomalyStaysOpen() throws Exception {
        TestMonitorContext ctx = context();
        PolledMonitor monitor = monitor(ctx);
        server.use("hlp-drawdown");
        monitor.poll();
        server.use("vault-missing");
        pollLater(monitor, ctx, Duration.ofMinutes(5));
        server.use("hlp-drawdown");
        pollLater(monitor, ctx, Duration.ofMinutes(5));

        assertEquals(List.of("vault.data.restored"), types(ctx));
    }

    @Test
    void withoutChildrenOnlyTheVaultsOwnPositionsCount() throws Exception {
        TestMonitorContext ctx = context("include_children", false);
        monitor(ctx).poll();

        assertEquals(2, server.requests().size());
        assertEquals(0.0, metric(ctx, "vault.largest_position_share_pct"));
    }
}
