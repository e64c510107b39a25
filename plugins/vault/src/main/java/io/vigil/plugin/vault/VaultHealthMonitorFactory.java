package io.vigil.plugin.vault;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import io.vigil.hyperliquid.HyperliquidClient;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/** Declares the {@code hlp} monitor; the work is in {@link VaultHealthMonitor}. */
@Extension
public final class VaultHealthMonitorFactory implements MonitorFactory {

    @Override
    public String kind() {
        return "hlp";
    }

    @Override
    public String description() {
        return "Scores a Hyperliquid vault's health (HLP by default) from drawdown, hourly loss, position concentration "
                + "and margin usage, and raises an event when the score crosses a threshold";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("hyperliquid_url", OptionType.STRING, "Base URL of the Hyperliquid info API")
                        .withDefault(HyperliquidClient.MAINNET),
                OptionSpec.of("vault_address", OptionType.STRING, "Address of the vault to watch (the default is HLP)")
                        .withDefault(VaultSettings.HLP),
                OptionSpec.of("include_children", OptionType.BOOLEAN,
                        "Also read the positions of a parent vault's child vaults, where HLP holds them")
                        .withDefault(true),
                OptionSpec.of("request_timeout", OptionType.DURATION, "Longest wait for one answer from the API")
                        .withDefault("10s"),
                OptionSpec.of("max_data_age", OptionType.DURATION,
                        "Vault data whose newest point is older than this is reported unavailable instead of scored")
                        .withDefault("3h"),
                OptionSpec.of("high_score", OptionType.DECIMAL, "Anomaly score at which a high event is raised")
                        .withDefault(50.0),
                OptionSpec.of("critical_score", OptionType.DECIMAL, "Anomaly score at which a critical event is raised")
                        .withDefault(70.0),
                OptionSpec.of("hysteresis", OptionType.DECIMAL,
                        "Score points below a threshold the score must fall before its level steps down or resolves")
                        .withDefault(5.0),
                OptionSpec.of("drawdown_start_pct", OptionType.DECIMAL,
                        "24-hour drawdown of PnL from its peak, in percent of account value, at which it starts to score")
                        .withDefault(0.5),
                OptionSpec.of("drawdown_full_pct", OptionType.DECIMAL, "24-hour drawdown at which it scores fully")
                        .withDefault(5.0),
                OptionSpec.of("loss_1h_start_pct", OptionType.DECIMAL,
                        "Loss over the last hour, in percent of account value, at which it starts to score")
                        .withDefault(0.25),
                OptionSpec.of("loss_1h_full_pct", OptionType.DECIMAL, "Loss over the last hour at which it scores fully")
                        .withDefault(2.0),
                OptionSpec.of("position_share_start_pct", OptionType.DECIMAL,
                        "Largest net position, in percent of account value, at which it starts to score")
                        .withDefault(20.0),
                OptionSpec.of("position_share_full_pct", OptionType.DECIMAL, "Largest net position at which it scores fully")
                        .withDefault(80.0),
                OptionSpec.of("margin_usage_start_pct", OptionType.DECIMAL,
                        "Margin in use, in percent of account value, at which it starts to score")
                        .withDefault(40.0),
                OptionSpec.of("margin_usage_full_pct", OptionType.DECIMAL, "Margin in use at which it scores fully")
                        .withDefault(90.0),
                OptionSpec.of("weights", OptionType.STRING_MAP,
                        "Most points each factor gives on its own, as a fraction from 0 to 1 (default drawdown 0.75, "
                                + "loss_1h 0.6, position_share 0.5, margin_usage 0.5)"));
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofMinutes(5);
    }

    @Override
    public Monitor create(MonitorContext context) {
        VaultSettings settings = VaultSettings.from(context.options());
        return new VaultHealthMonitor(context, settings,
                HyperliquidClient.create(settings.hyperliquidUrl(), settings.requestTimeout(), context.clock()));
    }
}
