package io.vigil.plugin.vault;

import io.vigil.api.Options;
import io.vigil.hyperliquid.http.JsonHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code hlp} monitor's options, checked together at creation. The default weights live here
 * (the option table cannot check a map's default) and are stated in the option's description.
 *
 * @param ramps factor name → {start, full}
 */
record VaultSettings(String hyperliquidUrl, String vaultAddress, boolean includeChildren, Duration requestTimeout,
                     Duration maxDataAge, double highScore, double criticalScore, double hysteresis,
                     Map<String, double[]> ramps, Map<String, Double> weights) {

    static final String HLP = "0xdfc24b077bc1425ad1dea75bcb6f8158e10df303";
    static final List<String> FACTORS = List.of("drawdown", "loss_1h", "position_share", "margin_usage");
    static final Map<String, Double> DEFAULT_WEIGHTS = defaultWeights();

    private static Map<String, Double> defaultWeights() {
        Map<String, Double> w = new LinkedHashMap<>();
        w.put("drawdown", 0.75);
        w.put("loss_1h", 0.6);
        w.put("position_share", 0.5);
        w.put("margin_usage", 0.5);
        return java.util.Collections.unmodifiableMap(w);
    }

    static VaultSettings from(Options o) {
        List<String> problems = new ArrayList<>();
        String url = o.string("hyperliquid_url");
        try {
            JsonHttpClient.baseUri("hyperliquid", url);
        } catch (IllegalArgumentException e) {
            problems.add("hyperliquid_url: " + e.getMessage());
        }
        String address = o.string("vault_address").trim().toLowerCase(Locale.ROOT);
        if (!address.matches("0x[0-9a-f]{40}")) {
            problems.add("vault_address: expected 0x and 40 hex digits, got \"" + o.string("vault_address") + "\""
                    + (address.matches("\\d+") ? " (quote the address in YAML: a bare 0x... is read as a number)" : ""));
        }
        Duration timeout = o.duration("request_timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            problems.add("request_timeout: must be more than 0");
        }
        double high = o.decimal("high_score");
        double critical = o.decimal("critical_score");
        if (!(high > 0 && high <= critical && critical <= 100)) {
            problems.add("high_score, critical_score: must satisfy 0 < high_score <= critical_score <= 100, got "
                    + high + " and " + critical);
        }
        double hysteresis = o.decimal("hysteresis");
        if (hysteresis < 0) {
            problems.add("hysteresis: must be 0 or more, got " + hysteresis);
        }
        Map<String, double[]> ramps = new LinkedHashMap<>();
        for (String factor : FACTORS) {
            double start = o.decimal(factor + "_start_pct");
            double full = o.decimal(factor + "_full_pct");
            if (!(start >= 0 && full > start)) {
                problems.add(factor + "_start_pct, " + factor + "_full_pct: must satisfy 0 <= start < full, got "
                        + start + " and " + full);
            }
            ramps.put(factor, new double[] {start, full});
        }
        Map<String, Double> weights = new LinkedHashMap<>(DEFAULT_WEIGHTS);
        if (o.isSet("weights")) {
            o.map("weights").forEach((factor, text) -> {
                if (!FACTORS.contains(factor)) {
                    problems.add("weights: unknown factor \"" + factor + "\"; factors are " + String.join(", ", FACTORS));
                    return;
                }
                try {
                    double w = Double.parseDouble(text.trim());
                    if (!(w >= 0 && w <= 1)) {
                        throw new NumberFormatException();
                    }
                    weights.put(factor, w);
                } catch (NumberFormatException e) {
                    problems.add("weights: " + factor + " must be a number from 0 to 1, got \"" + text + "\"");
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new VaultSettings(url, address, o.bool("include_children"), timeout, o.duration("max_data_age"), high,
                critical, hysteresis, ramps, weights);
    }
}
