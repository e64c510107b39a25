package io.vigil.plugin.liquidation;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.hyperliquid.HyperliquidClient;
import io.vigil.hyperliquid.http.JsonHttpClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/** Declares the {@code patterns} monitor; the work is in {@link LiquidationMonitor}. */
@Extension
public final class LiquidationMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "patterns";
    }

    @Override
    public String description() {
        return "Reads liquidations from Hyperliquid fills or a JSON/NDJSON feed and scores cascades, price-spike "
                + "manipulation, concentrated, flash-loan-like and abnormally large liquidations from 0 to 100";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("source", OptionType.STRING, "Where liquidations come from: hyperliquid or feed")
                        .withDefault(LiquidationSettings.HYPERLIQUID),
                OptionSpec.of("hyperliquid_url", OptionType.STRING, "Base URL of the Hyperliquid info API")
                        .withDefault(HyperliquidClient.MAINNET),
                OptionSpec.of("accounts", OptionType.STRING_LIST,
                        "Hyperliquid accounts whose fills are read for liquidations (the default is the HLP Liquidator vault)")
                        .withDefault(List.of(LiquidationSettings.HLP_LIQUIDATOR)),
                OptionSpec.of("feed_url", OptionType.STRING,
                        "URL of a JSON or NDJSON liquidation feed, required with source feed"),
                OptionSpec.of("request_timeout", OptionType.DURATION, "Longest wait for one answer from the source")
                        .withDefault("10s"),
                OptionSpec.of("max_account_lookups", OptionType.INTEGER,
                        "Liquidated accounts whose own fills are read per run to check for flash-loan-like sequences; 0 turns the check off")
                        .withDefault(10),
                OptionSpec.of("window", OptionType.DURATION,
                        "How far back liquidations are kept and analyzed; reloaded from the source after a restart")
                        .withDefault("30m"),
                OptionSpec.of("baseline_period", OptionType.DURATION,
                        "History per asset that cascades are compared with (hourly counts and notional, kept in the state store)")
                        .withDefault("24h"),
                OptionSpec.of("min_score", OptionType.DECIMAL,
                        "Suspicion score from which a pattern is reported as a medium event")
                        .withDefault(30),
                OptionSpec.of("high_score", OptionType.DECIMAL, "Suspicion score from which the event is high")
                        .withDefault(50),
                OptionSpec.of("critical_score", OptionType.DECIMAL, "Suspicion score from which the event is critical")
                        .withDefault(80),
                OptionSpec.of("cascade_window", OptionType.DURATION,
                        "Span within which liquidations of one asset count as one cascade")
                        .withDefault("5m"),
                OptionSpec.of("cascade_min_count", OptionType.INTEGER,
                        "Accounts liquidated in one asset within cascade_window for a cascade")
                        .withDefault(5),
                OptionSpec.of("cascade_min_notional_usd", OptionType.DECIMAL,
                        "Notional liquidated within cascade_window for a cascade; also the least baseline notional it is compared with")
                        .withDefault(100000),
                OptionSpec.of("spike_pct", OptionType.DECIMAL,
                        "Price move against the liquidated positions, in percent, that counts as a spike")
                        .withDefault(2.0),
                OptionSpec.of("revert_within", OptionType.DURATION,
                        "How long before the first liquidation the pre-spike price is read, and how soon after the last one the price must have come back half-way")
                        .withDefault("10m"),
                OptionSpec.of("manipulation_min_count", OptionType.INTEGER,
                        "Accounts liquidated within cascade_window around a spike for a manipulation pattern")
                        .withDefault(3),
                OptionSpec.of("concentration_share_pct", OptionType.DECIMAL,
                        "Share of an asset's liquidated notional in the window, in percent, held by at most three accounts for a concentrated pattern")
                        .withDefault(60),
                OptionSpec.of("concentration_min_notional_usd", OptionType.DECIMAL,
                        "Notional an asset must have liquidated in the window for a concentrated pattern")
                        .withDefault(1000000),
                OptionSpec.of("flash_window", OptionType.DURATION,
                        "Longest time from opening a position to its liquidation for a flash-loan-like sequence")
                        .withDefault("10m"),
                OptionSpec.of("flash_min_notional_usd", OptionType.DECIMAL,
                        "Notional an account must have liquidated in one asset for its own fills to be read")
                        .withDefault(250000),
                OptionSpec.of("size_multiple", OptionType.DECIMAL,
                        "Times the asset's median liquidation fill that makes a liquidation abnormally large")
                        .withDefault(20),
                OptionSpec.of("size_min_notional_usd", OptionType.DECIMAL,
                        "Least notional of an abnormally large liquidation")
                        .withDefault(500000));
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofMinutes(3);
    }

    @Override
    public Monitor create(MonitorContext context) {
        LiquidationSettings settings = LiquidationSettings.from(context.options());
        HttpClient http = JsonHttpClient.newHttpClient(settings.requestTimeout());
        LiquidationSource source;
        if (settings.source().equals(LiquidationSettings.FEED)) {
            source = new FeedSource(new JsonHttpClient(LiquidationSettings.FEED, settings.feedUrl(), http,
                    settings.requestTimeout(), Duration.ZERO, context.clock()));
        } else {
            source = new HyperliquidSource(new HyperliquidClient(new JsonHttpClient(LiquidationSettings.HYPERLIQUID,
                    settings.hyperliquidUrl(), http, settings.requestTimeout(), Duration.ZERO, context.clock())),
                    settings.accounts());
        }
        return new LiquidationMonitor(context, settings, source);
    }
}
