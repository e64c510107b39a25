package io.vigil.plugin.liquidation;

import io.vigil.api.Options;
import io.vigil.hyperliquid.http.JsonHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The {@code patterns} monitor's options, checked together at creation so the operator sees every
 * problem at once.
 */
record LiquidationSettings(String source, String hyperliquidUrl, List<String> accounts, String feedUrl,
                           Duration requestTimeout, int maxAccountLookups, Duration window, Duration baselinePeriod,
                           double minScore, double highScore, double criticalScore,
                           Duration cascadeWindow, int cascadeMinCount, double cascadeMinNotional,
                           double spikePct, Duration revertWithin, int manipulationMinCount,
                           double concentrationSharePct, double concentrationMinNotional,
                           Duration flashWindow, double flashMinNotional,
                           double sizeMultiple, double sizeMinNotional) {

    static final String HYPERLIQUID = "hyperliquid";
    static final String FEED = "feed";
    /** The Liquidator child of HLP: it takes over backstop liquidations (reference §2.10). */
    static final String HLP_LIQUIDATOR = "0x2e3d94f0562703b25c83308a05046ddaf9a8dd14";

    static LiquidationSettings from(Options o) {
        List<String> problems = new ArrayList<>();
        String source = o.string("source").trim();
        if (!source.equals(HYPERLIQUID) && !source.equals(FEED)) {
            problems.add("source: expected hyperliquid or feed, got \"" + source + "\"");
        }
        String hyperliquidUrl = o.string("hyperliquid_url");
        url(problems, "hyperliquid_url", HYPERLIQUID, hyperliquidUrl);
        List<String> accounts = new ArrayList<>(new LinkedHashSet<>(o.list("accounts").stream()
                .map(a -> a.trim().toLowerCase(Locale.ROOT)).toList()));
        if (source.equals(HYPERLIQUID)) {
            if (accounts.isEmpty()) {
                problems.add("accounts: name at least one account whose fills to read, such as the HLP Liquidator "
                        + HLP_LIQUIDATOR);
            }
            for (String a : accounts) {
                if (!a.matches("0x[0-9a-f]{40}")) {
                    problems.add("accounts: expected 0x and 40 hex digits, got \"" + a + "\""
                            + (a.matches("\\d+") ? " (quote addresses in YAML: a bare 0x... is read as a number)" : ""));
                }
            }
        }
        String feedUrl = o.isSet("feed_url") ? o.string("feed_url") : null;
        if (source.equals(FEED)) {
            if (feedUrl == null) {
                problems.add("feed_url: is required with source feed");
            } else {
                url(problems, "feed_url", FEED, feedUrl);
            }
        }
        Duration timeout = positive(problems, o, "request_timeout");
        long lookups = o.integer("max_account_lookups");
        if (lookups < 0 || lookups > 100) {
            problems.add("max_account_lookups: must be between 0 and 100, got " + lookups);
        }
        Duration window = positive(problems, o, "window");
        Duration baseline = positive(problems, o, "baseline_period");
        if (baseline.compareTo(Duration.ofHours(1)) < 0) {
            problems.add("baseline_period: must be at least 1h (the baseline is kept per hour), got "
                    + JsonHttpClient.human(baseline));
        }
        double min = o.decimal("min_score");
        double high = o.decimal("high_score");
        double critical = o.decimal("critical_score");
        if (!(min >= 0 && min <= high && high <= critical && critical <= 100)) {
            problems.add("min_score, high_score, critical_score: must satisfy 0 <= min_score <= high_score <= "
                    + "critical_score <= 100, got " + min + ", " + high + " and " + critical);
        }
        Duration cascadeWindow = positive(problems, o, "cascade_window");
        long cascadeMin = atLeast(problems, o, "cascade_min_count", 2);
        double cascadeNotional = nonNegative(problems, o, "cascade_min_notional_usd");
        double spike = o.decimal("spike_pct");
        if (!(spike > 0)) {
            problems.add("spike_pct: must be more than 0, got " + spike);
        }
        Duration revert = positive(problems, o, "revert_within");
        long manipulationMin = atLeast(problems, o, "manipulation_min_count", 1);
        double share = o.decimal("concentration_share_pct");
        if (!(share > 0 && share < 95)) {
            problems.add("concentration_share_pct: must be more than 0 and less than 95 (where it scores fully), got "
                    + share);
        }
        double concentrationNotional = nonNegative(problems, o, "concentration_min_notional_usd");
        Duration flash = positive(problems, o, "flash_window");
        double flashNotional = nonNegative(problems, o, "flash_min_notional_usd");
        double multiple = o.decimal("size_multiple");
        if (!(multiple > 1)) {
            problems.add("size_multiple: must be more than 1, got " + multiple);
        }
        double sizeNotional = nonNegative(problems, o, "size_min_notional_usd");
        Duration needed = cascadeWindow.plus(revert).compareTo(flash) >= 0 ? cascadeWindow.plus(revert) : flash;
        if (window.compareTo(needed) < 0) {
            problems.add("window: must be at least cascade_window + revert_within and at least flash_window ("
                    + JsonHttpClient.human(needed) + "), got " + JsonHttpClient.human(window));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new LiquidationSettings(source, hyperliquidUrl, List.copyOf(accounts), feedUrl, timeout, (int) lookups,
                window, baseline, min, high, critical, cascadeWindow, (int) cascadeMin, cascadeNotional, spike, revert,
                (int) manipulationMin, share, concentrationNotional, flash, flashNotional, multiple, sizeNotional);
    }

    /** The level of a score by the thresholds. */
    Level level(double score) {
        if (score >= criticalScore) {
            return Level.CRITICAL;
        }
        if (score >= highScore) {
            return Level.HIGH;
        }
        return score >= minScore ? Level.MEDIUM : Level.NONE;
    }

    private static void url(List<String> problems, String option, String name, String url) {
        try {
            JsonHttpClient.baseUri(name, url);
        } catch (IllegalArgumentException e) {
            problems.add(option + ": " + e.getMessage());
        }
    }

    private static Duration positive(List<String> problems, Options o, String name) {
        Duration d = o.duration(name);
        if (d.isZero() || d.isNegative()) {
            problems.add(name + ": must be more than 0");
            return Duration.ofSeconds(1);
        }
        return d;
    }

    private static long atLeast(List<String> problems, Options o, String name, long least) {
        long value = o.integer(name);
        if (value < least) {
            problems.add(name + ": must be at least " + least + ", got " + value);
        }
        return value;
    }

    private static double nonNegative(List<String> problems, Options o, String name) {
        double value = o.decimal(name);
        if (value < 0) {
            problems.add(name + ": must be 0 or more, got " + value);
        }
        return value;
    }
}
