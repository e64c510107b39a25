package io.vigil.plugin.vault;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import io.vigil.api.MonitorContext;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import io.vigil.hyperliquid.ClearinghouseState;
import io.vigil.hyperliquid.HyperliquidClient;
import io.vigil.hyperliquid.VaultDetails;
import io.vigil.hyperliquid.http.ApiException;
import io.vigil.hyperliquid.http.JsonHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One poll: the vault's details (portfolio history, children) and the clearinghouse state of the
 * vault and its children, turned into metrics, an anomaly score, and an event when the score's
 * level changes.
 *
 * <p>State (per monitor name): the own PnL samples of the last 25 h ({@code samples}), the open
 * score level ({@code level}) and whether the data is unavailable ({@code unavailable}), so a
 * restart neither repeats nor forgets an alert and needs no warm-up.
 */
final class VaultHealthMonitor implements PolledMonitor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration HOUR = Duration.ofHours(1);

    private final MonitorContext context;
    private final VaultSettings settings;
    private final HyperliquidClient client;
    private final Map<String, String> labels;

    VaultHealthMonitor(MonitorContext context, VaultSettings settings, HyperliquidClient client) {
        this.context = context;
        this.settings = settings;
        this.client = client;
        this.labels = Map.of("vault", settings.vaultAddress());
    }

    /** The vault's data cannot be scored this poll; {@link #reason} is a metric-label-like word. */
    private static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        Unavailable(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    private record Snapshot(VaultDetails vault, List<PnlPoint> history, List<ClearinghouseState> accounts) {
    }

    @Override
    public void poll() throws InterruptedException {
        Instant now = context.clock().instant();
        Snapshot snapshot;
        try {
            snapshot = fetch(now);
        } catch (ApiException e) {
            unavailable(now, e.reason().wireName(), e.getMessage());
            return;
        } catch (Unavailable e) {
            unavailable(now, e.reason, e.getMessage());
            return;
        }
        Map<String, String> writes = new LinkedHashMap<>();
        List<String> removes = new ArrayList<>();
        restored(now, removes);

        VaultDetails vault = snapshot.vault();
        List<PnlPoint> own = PnlHistory.decode(read("samples", new TypeReference<List<Object>>() { }).orElse(List.of()));
        PnlPoint current = snapshot.history().get(snapshot.history().size() - 1);
        List<PnlPoint> series = PnlHistory.merge(own, snapshot.history(), current.time());
        PnlHistory.Drawdown drawdown = PnlHistory.drawdown(series, DAY);
        PnlHistory.Change hour = PnlHistory.change(series, HOUR);
        PnlHistory.Change day = PnlHistory.change(series, DAY);
        Exposure exposure = Exposure.of(snapshot.accounts());
        double loss1h = Math.max(0, -hour.pct());

        AnomalyScore score = new AnomalyScore(List.of(
                factor("drawdown", drawdown.pct()),
                factor("loss_1h", loss1h),
                factor("position_share", exposure.largestSharePct()),
                factor("margin_usage", exposure.marginUsagePct())));

        metric(now, "vault.up", 1, "");
        metric(now, "vault.account_value", current.accountValue().doubleValue(), "usd");
        metric(now, "vault.drawdown_24h_pct", drawdown.pct(), "percent");
        metric(now, "vault.pnl_1h", hour.amount().doubleValue(), "usd");
        metric(now, "vault.pnl_1h_pct", hour.pct(), "percent");
        metric(now, "vault.pnl_24h", day.amount().doubleValue(), "usd");
        metric(now, "vault.largest_position_share_pct", exposure.largestSharePct(), "percent");
        metric(now, "vault.margin_usage_pct", exposure.marginUsagePct(), "percent");
        metric(now, "vault.leverage", exposure.leverage(), "ratio");
        metric(now, "vault.anomaly_score", score.score(), "score");
        score.points().forEach((factor, points) -> context.emitter().emit(new MetricSample("vault.anomaly_points", points,
                "score", Map.of("vault", settings.vaultAddress(), "factor", factor), now)));

        updateLevel(now, vault, score, current, drawdown, hour, exposure, writes, removes);
        writes.put("samples", json(PnlHistory.encode(PnlHistory.keep(own, current))));
        context.state().putAll(writes);
        removes.forEach(context.state()::remove);
    }

    private Snapshot fetch(Instant now) throws ApiException, InterruptedException, Unavailable {
        Optional<VaultDetails> found = client.vaultDetails(settings.vaultAddress());
        if (found.isEmpty()) {
            throw new Unavailable("not_found", "hyperliquid has no vault at " + settings.vaultAddress()
                    + " (vaultDetails answered null); check vault_address");
        }
        VaultDetails vault = found.get();
        List<PnlPoint> history = PnlHistory.fromVault(vault);
        Instant newest = history.get(history.size() - 1).time();
        if (Duration.between(newest, now).compareTo(settings.maxDataAge()) > 0) {
            throw new Unavailable("stale", "the newest point of " + name(vault) + "'s portfolio is from " + newest
                    + ", older than max_data_age " + JsonHttpClient.human(settings.maxDataAge())
                    + "; the vault data is not updating");
        }
        List<String> addresses = new ArrayList<>();
        addresses.add(settings.vaultAddress());
        if (settings.includeChildren() && vault.relationship().type().equals("parent")) {
            addresses.addAll(vault.relationship().childAddresses());
        }
        List<ClearinghouseState> accounts = new ArrayList<>();
        for (String address : addresses) {
            accounts.add(client.clearinghouseState(address));
        }
        return new Snapshot(vault, history, accounts);
    }

    private AnomalyScore.Factor factor(String name, double value) {
        double[] ramp = settings.ramps().get(name);
        return new AnomalyScore.Factor(name, value, ramp[0], ramp[1], settings.weights().get(name));
    }

    private void unavailable(Instant now, String reason, String message) {
        metric(now, "vault.up", 0, "");
        context.logger().debug("{}", message);
        if (context.state().get("unavailable").isPresent()) {
            return;
        }
        context.emitter().emit(Event.builder("vault.data.unavailable")
                .severity(Severity.MEDIUM)
                .subject(settings.vaultAddress())
                .title("vault " + settings.vaultAddress() + " cannot be scored (" + reason + "): " + message)
                .attribute("vault", settings.vaultAddress())
                .attribute("reason", reason)
                .attribute("error", message)
                .fingerprint("vault:data:" + settings.vaultAddress())
                .time(now)
                .build());
        context.logger().warn("{}", message);
        context.state().put("unavailable", json(Map.of("since", now.toString(), "reason", reason)));
    }

    private void restored(Instant now, List<String> removes) {
        Optional<Map<String, Object>> was = read("unavailable", new TypeReference<Map<String, Object>>() { });
        if (was.isEmpty()) {
            return;
        }
        Instant since = Instant.parse((String) was.get().get("since"));
        long seconds = Duration.between(since, now).toSeconds();
        context.emitter().emit(Event.builder("vault.data.restored")
                .severity(Severity.INFO)
                .subject(settings.vaultAddress())
                .title("vault " + settings.vaultAddress() + " data available again after " + seconds + " s (was "
                        + was.get().get("reason") + ")")
                .attribute("vault", settings.vaultAddress())
                .attribute("reason", was.get().get("reason"))
                .attribute("since", since.toString())
                .attribute("unavailable_for_seconds", seconds)
                .fingerprint("vault:data:" + settings.vaultAddress())
                .time(now)
                .build());
        removes.add("unavailable");
    }

    private void updateLevel(Instant now, VaultDetails vault, AnomalyScore score, PnlPoint current,
                             PnlHistory.Drawdown drawdown, PnlHistory.Change hour, Exposure exposure,
                             Map<String, String> writes, List<String> removes) {
        Optional<Map<String, Object>> open = read("level", new TypeReference<Map<String, Object>>() { });
        ScoreLevel level = open.map(o -> ScoreLevel.parse((String) o.get("level"))).orElse(ScoreLevel.NORMAL);
        double value = score.score();
        ScoreLevel next = ScoreLevel.next(level, value, settings.highScore(), settings.criticalScore(), settings.hysteresis());
        Instant since = open.map(o -> Instant.parse((String) o.get("since"))).orElse(now);
        double storedPeak = open.map(o -> ((Number) o.get("peak_score")).doubleValue()).orElse(0.0);
        double peak = Math.max(storedPeak, value);
        String name = name(vault);
        if (next == level) {
            if (level != ScoreLevel.NORMAL && value > storedPeak) {
                writes.put("level", json(Map.of("level", level.wireName(), "since", since.toString(), "peak_score", peak)));
            }
            return;
        }
        if (next == ScoreLevel.NORMAL) {
            context.emitter().emit(Event.builder("vault.anomaly.resolved")
                    .severity(Severity.INFO)
                    .subject(settings.vaultAddress())
                    .title(name + " anomaly score " + round(value, 2) + " is back below " + settings.highScore())
                    .attribute("vault", settings.vaultAddress())
                    .attribute("name", name)
                    .attribute("score", round(value, 2))
                    .attribute("previous_level", level.wireName())
                    .attribute("peak_score", round(peak, 2))
                    .attribute("since", since.toString())
                    .attribute("duration_seconds", Duration.between(since, now).toSeconds())
                    .fingerprint("vault:anomaly:" + settings.vaultAddress())
                    .time(now)
                    .build());
            removes.add("level");
            return;
        }
        Map<String, Object> points = new LinkedHashMap<>();
        score.points().forEach((k, v) -> points.put(k, round(v, 2)));
        context.emitter().emit(Event.builder("vault.anomaly")
                .severity(next.severity())
                .subject(settings.vaultAddress())
                .title(name + " anomaly score " + round(value, 2) + " (" + next.wireName() + "): 24h drawdown "
                        + round(drawdown.pct(), 2) + " %, last hour " + round(hour.pct(), 2) + " %, largest position "
                        + exposure.largestCoin() + " " + round(exposure.largestSharePct(), 2) + " % of account value, "
                        + "margin in use " + round(exposure.marginUsagePct(), 2) + " %")
                .attribute("vault", settings.vaultAddress())
                .attribute("name", name)
                .attribute("level", next.wireName())
                .attribute("previous_level", level.wireName())
                .attribute("score", round(value, 2))
                .attribute("high_score", settings.highScore())
                .attribute("critical_score", settings.criticalScore())
                .attribute("points", points)
                .attribute("account_value", current.accountValue())
                .attribute("drawdown_24h_pct", round(drawdown.pct(), 4))
                .attribute("drawdown_24h", drawdown.amount())
                .attribute("peak_time", drawdown.peak().time().toString())
                .attribute("pnl_1h", hour.amount())
                .attribute("pnl_1h_pct", round(hour.pct(), 4))
                .attribute("pnl_1h_window_seconds", hour.window().toSeconds())
                .attribute("largest_position_coin", exposure.largestCoin())
                .attribute("largest_position_notional", exposure.largestNetNotional())
                .attribute("largest_position_share_pct", round(exposure.largestSharePct(), 4))
                .attribute("margin_usage_pct", round(exposure.marginUsagePct(), 4))
                .attribute("leverage", round(exposure.leverage(), 4))
                .attribute("since", since.toString())
                .fingerprint("vault:anomaly:" + settings.vaultAddress())
                .time(now)
                .build());
        writes.put("level", json(Map.of("level", next.wireName(), "since", since.toString(), "peak_score", peak)));
    }

    private static String name(VaultDetails vault) {
        return vault.name().isBlank() ? vault.vaultAddress() : vault.name();
    }

    private void metric(Instant now, String name, double value, String unit) {
        context.emitter().emit(new MetricSample(name, value, unit, labels, now));
    }

    private <T> Optional<T> read(String key, TypeReference<T> type) {
        Optional<String> text = context.state().get(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(text.get(), type));
        } catch (IOException e) {
            context.logger().warn("state {} is unreadable and is started afresh: {}", key, e.getMessage());
            return Optional.empty();
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
