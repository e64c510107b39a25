package io.vigil.plugin.oracle;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.hyperliquid.HyperliquidClient;
import io.vigil.hyperliquid.http.JsonHttpClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** Declares the {@code deviation} monitor; the work is in {@link OracleDeviationMonitor}. */
@Extension
public final class OracleDeviationMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "deviation";
    }

    @Override
    public String description() {
        return "Compares Hyperliquid oracle and mark prices with the median of Binance, Coinbase and Kraken prices "
                + "and raises an event when the oracle deviates";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("hyperliquid_url", OptionType.STRING, "Base URL of the Hyperliquid info API")
                        .withDefault(HyperliquidClient.MAINNET),
                OptionSpec.of("assets", OptionType.STRING_LIST,
                        "Hyperliquid perpetuals to check, as named in its universe (default BTC, ETH, SOL)"),
                OptionSpec.of("sources", OptionType.STRING_LIST,
                        "Reference sources to ask, of binance, coinbase and kraken (default all three)"),
                OptionSpec.of("binance_url", OptionType.STRING, "Base URL of the Binance spot market-data API")
                        .withDefault(BinanceSource.DEFAULT_URL),
                OptionSpec.of("coinbase_url", OptionType.STRING, "Base URL of the Coinbase prices API")
                        .withDefault(CoinbaseSource.DEFAULT_URL),
                OptionSpec.of("kraken_url", OptionType.STRING, "Base URL of the Kraken public API")
                        .withDefault(KrakenSource.DEFAULT_URL),
                OptionSpec.of("symbols", OptionType.STRING_MAP,
                        "Symbol per source:ASSET where the default is wrong (kraken:BTC: XBTUSD), or - to skip the asset "
                                + "at that source; defaults are ASSETUSDT at Binance, ASSET-USD at Coinbase, ASSETUSD at "
                                + "Kraken (XBTUSD for BTC, XDGUSD for DOGE)"),
                OptionSpec.of("medium_pct", OptionType.DECIMAL,
                        "Deviation of the oracle from the reference, in percent, that raises a medium event")
                        .withDefault(0.5),
                OptionSpec.of("critical_pct", OptionType.DECIMAL,
                        "Deviation of the oracle from the reference, in percent, that raises a critical event")
                        .withDefault(1.0),
                OptionSpec.of("thresholds", OptionType.STRING_MAP,
                        "Per-asset medium,critical percentages replacing medium_pct and critical_pct (HYPE: \"1.0,2.0\")"),
                OptionSpec.of("hysteresis_pct", OptionType.DECIMAL,
                        "Percentage points below a threshold the deviation must fall before its level steps down or resolves")
                        .withDefault(0.1),
                OptionSpec.of("min_sources", OptionType.INTEGER,
                        "Usable reference prices an asset needs for a verdict; with fewer there is none and a warning")
                        .withDefault(2),
                OptionSpec.of("max_source_spread_pct", OptionType.DECIMAL,
                        "A reference price farther than this percentage from the median of the fresh ones is excluded as an outlier")
                        .withDefault(1.0),
                OptionSpec.of("max_source_age", OptionType.DURATION,
                        "A reference answer served from a cache older than this (HTTP Age header) is stale")
                        .withDefault("30s"),
                OptionSpec.of("frozen_after", OptionType.DURATION,
                        "A price unchanged this long while the other sources moved 0.1 % or more is stale")
                        .withDefault("5m"),
                OptionSpec.of("request_timeout", OptionType.DURATION, "Longest wait for one answer from any source")
                        .withDefault("10s"),
                OptionSpec.of("min_call_interval", OptionType.DURATION,
                        "Least time between two requests to the same reference source; calls wait for it")
                        .withDefault("1s"));
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofMinutes(1);
    }

    @Override
    public Monitor create(MonitorContext context) {
        OracleSettings settings = OracleSettings.from(context.options());
        HttpClient http = JsonHttpClient.newHttpClient(settings.requestTimeout());
        HyperliquidClient hyperliquid = new HyperliquidClient(new JsonHttpClient(OracleDeviationMonitor.HYPERLIQUID,
                settings.hyperliquidUrl(), http, settings.requestTimeout(), Duration.ZERO, context.clock()));
        List<ReferenceSource> sources = new ArrayList<>();
        for (String name : settings.sources()) {
            JsonHttpClient client = new JsonHttpClient(name, settings.sourceUrls().get(name), http,
                    settings.requestTimeout(), settings.minCallInterval(), context.clock());
            sources.add(switch (name) {
                case BinanceSource.NAME -> new BinanceSource(client);
                case CoinbaseSource.NAME -> new CoinbaseSource(client);
                default -> new KrakenSource(client);
            });
        }
        return new OracleDeviationMonitor(context, settings, hyperliquid, sources);
    }
}
