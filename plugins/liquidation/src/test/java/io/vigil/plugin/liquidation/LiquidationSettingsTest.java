package io.vigil.plugin.liquidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.testkit.TestMonitorContext;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiquidationSettingsTest {

    private final LiquidationMonitorFactory factory = new LiquidationMonitorFactory();

    private String problems(Map<String, ?> options) {
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, options);
        return assertThrows(IllegalArgumentException.class, () -> factory.create(ctx)).getMessage();
    }

    @Test
    void theDefaultsWatchTheHlpLiquidatorEveryThreeMinutes() throws Exception {
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of());
        LiquidationSettings s = LiquidationSettings.from(ctx.options());

        assertEquals(List.of("0x2e3d94f0562703b25c83308a05046ddaf9a8dd14"), s.accounts());
        assertEquals(java.time.Duration.ofMinutes(3), factory.defaultInterval());
        assertEquals(Level.HIGH, s.level(50));
        assertEquals(Level.CRITICAL, s.level(80));
        assertEquals(Level.MEDIUM, s.level(30));
        assertEquals(Level.NONE, s.level(29.99));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertEquals("source: expected hyperliquid or feed, got \"binance\"; "
                        + "min_score, high_score, critical_score: must satisfy 0 <= min_score <= high_score <= critical_score <= 100, "
                        + "got 30.0, 90.0 and 80.0; "
                        + "window: must be at least cascade_window + revert_within and at least flash_window (15m), got 10m",
                problems(Map.of("source", "binance", "high_score", 90, "window", "10m")));
    }

    @Test
    void aFeedNeedsItsUrl() {
        assertEquals("feed_url: is required with source feed", problems(Map.of("source", "feed")));
        assertEquals("feed_url: feed URL must be an absolute http(s) URL such as https://api.example.com, got \"ftp://x\"",
                problems(Map.of("source", "feed", "feed_url", "ftp://x")));
    }

    @Test
    void anAddressYamlReadAsANumberIsRefusedWithAHint() {
        BigInteger asNumber = new BigInteger("2e3d94f0562703b25c83308a05046ddaf9a8dd14", 16);
        assertEquals("accounts: expected 0x and 40 hex digits, got \"" + asNumber + "\" (quote addresses in YAML: a bare "
                + "0x... is read as a number)", problems(Map.of("accounts", List.of(asNumber))));
    }
}
