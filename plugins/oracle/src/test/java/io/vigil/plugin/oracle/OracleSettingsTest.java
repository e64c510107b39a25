package io.vigil.plugin.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.testkit.TestMonitorContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OracleSettingsTest {

    private final OracleDeviationMonitorFactory factory = new OracleDeviationMonitorFactory();

    @Test
    void everyProblemIsReportedAtCreationInOneMessage() {
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of(
                "sources", List.of("binance", "bitstamp"),
                "kraken_url", "api.kraken.com",
                "thresholds", new TreeMap<>(Map.of("ETH", "2.0", "DOGE", "1,2")),
                "symbols", Map.of("kraken:XRP", "XRPUSD"),
                "min_sources", 3));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create(ctx));
        assertEquals("sources: unknown source \"bitstamp\"; known sources are binance, coinbase, kraken; "
                + "kraken_url: kraken URL must be an absolute http(s) URL such as https://api.example.com, got "
                + "\"api.kraken.com\"; symbols: key \"kraken:XRP\" must be source:ASSET with a source of binance, coinbase, "
                + "kraken and an asset of BTC, ETH, SOL, such as kraken:BTC; "
                + "thresholds: DOGE is not one of the assets (BTC, ETH, SOL); "
                + "thresholds: ETH: expected \"medium,critical\" in percent such as \"1.0,2.0\", got \"2.0\"; "
                + "min_sources: must be between 1 and the number of sources (2), got 3", e.getMessage());
    }

    @Test
    void defaultSymbolsFollowEachExchangesNaming() {
        OracleSettings settings = OracleSettings.from(TestMonitorContext.forFactory(factory,
                Map.of("symbols", Map.of("binance:ETH", "ETHUSDC"))).options());

        assertEquals("BTCUSDT", settings.symbol(new BinanceSource(null), "BTC").orElseThrow());
        assertEquals("ETHUSDC", settings.symbol(new BinanceSource(null), "ETH").orElseThrow());
        assertEquals("SOL-USD", settings.symbol(new CoinbaseSource(null), "SOL").orElseThrow());
        assertEquals("XBTUSD", settings.symbol(new KrakenSource(null), "BTC").orElseThrow());
        assertEquals("XDGUSD", settings.symbol(new KrakenSource(null), "DOGE").orElseThrow());
        assertEquals("ETHUSD", settings.symbol(new KrakenSource(null), "ETH").orElseThrow());
    }

    @Test
    void hysteresisKeepsALevelUntilTheDeviationIsClearlyBelowIt() {
        Thresholds t = new Thresholds(0.5, 1.0);
        assertEquals(DeviationLevel.CRITICAL, t.next(DeviationLevel.NORMAL, 1.0, 0.1));
        assertEquals(DeviationLevel.CRITICAL, t.next(DeviationLevel.CRITICAL, 0.91, 0.1));
        assertEquals(DeviationLevel.MEDIUM, t.next(DeviationLevel.CRITICAL, 0.89, 0.1));
        assertEquals(DeviationLevel.NORMAL, t.next(DeviationLevel.CRITICAL, 0.3, 0.1));
        assertEquals(DeviationLevel.MEDIUM, t.next(DeviationLevel.MEDIUM, 0.45, 0.1));
        assertEquals(DeviationLevel.NORMAL, t.next(DeviationLevel.MEDIUM, 0.39, 0.1));
    }
}
