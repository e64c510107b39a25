package io.vigil.plugin.liquidation;

import static io.vigil.plugin.liquidation.SuspicionScore.factor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Concentrated: in one asset's window, with at least {@code cascade_min_count} accounts liquidated
 * for at least {@code concentration_min_notional_usd}, the fewest accounts (at most three) that
 * together hold at least {@code concentration_share_pct} of the notional.
 *
 * <pre>
 * share     ramp(their share %, concentration_share_pct → 95)                               weight 0.6
 * notional  ramp(window notional, concentration_min_notional_usd → 20 × concentration_min_notional_usd) weight 0.5
 * </pre>
 *
 * Not reported when every one of those accounts is already in a reported abnormal-size occurrence
 * of the asset: one whale is one alert, not two.
 */
final class ConcentrationDetector {

    static final int MAX_ACCOUNTS = 3;

    List<PatternInstance> detect(Analysis a, List<PatternInstance> abnormal) {
        LiquidationSettings s = a.settings;
        List<PatternInstance> out = new ArrayList<>();
        for (Map.Entry<String, List<Liquidation>> e : a.byAsset.entrySet()) {
            String asset = e.getKey();
            Analysis.Cluster window = new Analysis.Cluster(e.getValue());
            double total = window.notional();
            if (window.accounts() < s.cascadeMinCount() || total < s.concentrationMinNotional() || total <= 0) {
                continue;
            }
            Map<String, Double> byAccount = new LinkedHashMap<>();
            e.getValue().forEach(l -> byAccount.merge(l.accountKey(), l.usd(), Double::sum));
            List<String> ranked = Analysis.accountsByNotional(e.getValue());
            List<String> top = new ArrayList<>();
            double share = 0;
            for (String account : ranked.subList(0, Math.min(MAX_ACCOUNTS, ranked.size()))) {
                top.add(account);
                share += byAccount.get(account) / total * 100;
                if (share >= s.concentrationSharePct()) {
                    break;
                }
            }
            if (share < s.concentrationSharePct()) {
                continue;
            }
            Set<String> covered = new HashSet<>();
            abnormal.stream().filter(i -> i.asset().equals(asset) && s.level(i.score().score()) != Level.NONE)
                    .forEach(i -> covered.addAll(i.accounts()));
            if (covered.containsAll(top)) {
                continue;
            }
            List<Liquidation> evidence = e.getValue().stream().filter(l -> top.contains(l.accountKey())).toList();
            SuspicionScore score = new SuspicionScore(List.of(
                    factor("share", share, s.concentrationSharePct(), 95, 0.6),
                    factor("notional", total, s.concentrationMinNotional(),
                            20 * Math.max(s.concentrationMinNotional(), 1), 0.5)));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("share_pct", Numbers.round(share, 4));
            details.put("window_notional", Numbers.round(total, 2));
            details.put("window_accounts", window.accounts());
            Map<String, Object> topNotional = new LinkedHashMap<>();
            top.forEach(t -> topNotional.put(t, Numbers.round(byAccount.get(t), 2)));
            details.put("top_accounts", topNotional);
            String summary = top.size() + " of " + window.accounts() + " liquidated accounts hold "
                    + Numbers.round(share, 1) + " % of the " + Numbers.usd(total) + " liquidated in the window";
            out.add(new PatternInstance(Pattern.CONCENTRATED, asset, evidence.get(0).time(),
                    evidence.get(evidence.size() - 1).time(), score, evidence, top, summary, details));
        }
        return out;
    }
}
