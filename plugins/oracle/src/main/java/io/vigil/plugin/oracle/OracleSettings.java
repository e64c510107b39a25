package io.vigil.plugin.oracle;

import io.vigil.api.Options;
import io.vigil.hyperliquid.http.JsonHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code deviation} monitor's options, checked together at creation so the operator sees
 * every problem at once. The defaults of the list and map options live here (the option table
 * cannot check defaults of those types) and are stated in their descriptions.
 */
record OracleSettings(String hyperliquidUrl, List<String> assets, List<String> sources, Map<String, String> sourceUrls,
                      Map<String, String> symbols, Thresholds defaults, Map<String, Thresholds> perAsset,
                      double hysteresisPct, int minSources, double maxSourceSpreadPct, Duration maxSourceAge,
                      Duration frozenAfter, Duration requestTimeout, Duration minCallInterval) {

    static final List<String> DEFAULT_ASSETS = List.of("BTC", "ETH", "SOL");
    static final List<String> KNOWN_SOURCES = List.of(BinanceSource.NAME, CoinbaseSource.NAME, KrakenSource.NAME);
    /** What {@code symbols} maps a source and asset to when the source must not be asked for that asset. */
    static final String SKIP = "-";

    static OracleSettings from(Options o) {
        List<String> problems = new ArrayList<>();
        List<String> assets = o.isSet("assets") ? distinct(o.list("assets")) : DEFAULT_ASSETS;
        if (assets.isEmpty()) {
            problems.add("assets: name at least one Hyperliquid perpetual such as BTC");
        }
        List<String> sources = o.isSet("sources") ? distinct(o.list("sources")) : KNOWN_SOURCES;
        for (String s : sources) {
            if (!KNOWN_SOURCES.contains(s)) {
                problems.add("sources: unknown source \"" + s + "\"; known sources are " + String.join(", ", KNOWN_SOURCES));
            }
        }
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("hyperliquid", o.string("hyperliquid_url"));
        for (String s : KNOWN_SOURCES) {
            urls.put(s, o.string(s + "_url"));
        }
        urls.forEach((name, url) -> {
            try {
                JsonHttpClient.baseUri(name, url);
            } catch (IllegalArgumentException e) {
                problems.add(name + "_url: " + e.getMessage());
            }
        });
        Map<String, String> symbols = o.isSet("symbols") ? o.map("symbols") : Map.of();
        symbols.forEach((key, symbol) -> {
            int colon = key.indexOf(':');
            String source = colon < 0 ? key : key.substring(0, colon);
            if (colon < 0 || !KNOWN_SOURCES.contains(source) || !assets.contains(key.substring(colon + 1))) {
                problems.add("symbols: key \"" + key + "\" must be source:ASSET with a source of "
                        + String.join(", ", KNOWN_SOURCES) + " and an asset of " + String.join(", ", assets)
                        + ", such as kraken:BTC");
            } else if (symbol.isBlank()) {
                problems.add("symbols: " + key + " is empty; give the symbol, or " + SKIP + " to skip the asset there");
            }
        });
        Thresholds defaults = null;
        try {
            defaults = new Thresholds(o.decimal("medium_pct"), o.decimal("critical_pct"));
        } catch (IllegalArgumentException e) {
            problems.add("medium_pct, critical_pct: " + e.getMessage());
        }
        Map<String, Thresholds> perAsset = new LinkedHashMap<>();
        if (o.isSet("thresholds")) {
            o.map("thresholds").forEach((asset, text) -> {
                if (!assets.contains(asset)) {
                    problems.add("thresholds: " + asset + " is not one of the assets (" + String.join(", ", assets) + ")");
                    return;
                }
                try {
                    perAsset.put(asset, Thresholds.parse(text));
                } catch (IllegalArgumentException e) {
                    problems.add("thresholds: " + asset + ": " + e.getMessage());
                }
            });
        }
        double hysteresis = o.decimal("hysteresis_pct");
        if (hysteresis < 0) {
            problems.add("hysteresis_pct: must be 0 or more, got " + hysteresis);
        }
        long minSources = o.integer("min_sources");
        if (minSources < 1 || minSources > sources.size()) {
            problems.add("min_sources: must be between 1 and the number of sources (" + sources.size() + "), got "
                    + minSources);
        }
        double spread = o.decimal("max_source_spread_pct");
        if (!(spread > 0)) {
            problems.add("max_source_spread_pct: must be more than 0, got " + spread);
        }
        Duration timeout = o.duration("request_timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            problems.add("request_timeout: must be more than 0");
        }
        Duration frozenAfter = o.duration("frozen_after");
        if (frozenAfter.isZero() || frozenAfter.isNegative()) {
            problems.add("frozen_after: must be more than 0");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new OracleSettings(urls.get("hyperliquid"), assets, sources, urls, symbols, defaults, perAsset, hysteresis,
                (int) minSources, spread, o.duration("max_source_age"), frozenAfter, timeout,
                o.duration("min_call_interval"));
    }

    /** The thresholds of {@code asset}: its own from {@code thresholds}, else the defaults. */
    Thresholds thresholds(String asset) {
        return perAsset.getOrDefault(asset, defaults);
    }

    /** The symbol to ask {@code source} for {@code asset}; empty when configured to skip it there. */
    Optional<String> symbol(ReferenceSource source, String asset) {
        String configured = symbols.get(source.name() + ":" + asset);
        if (configured == null) {
            return Optional.of(source.defaultSymbol(asset));
        }
        return configured.trim().equals(SKIP) ? Optional.empty() : Optional.of(configured.trim());
    }

    private static List<String> distinct(List<String> values) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        values.forEach(v -> out.add(v.trim()));
        return List.copyOf(out);
    }
}
