package io.vigil.plugin.vault;

import io.vigil.hyperliquid.AssetPosition;
import io.vigil.hyperliquid.ClearinghouseState;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The open positions of a vault and its children taken together: account value, margin in use,
 * total notional, and the largest net position (longs and shorts of one coin across the
 * accounts offset each other: the vault's exposure to that coin is the net).
 */
record Exposure(BigDecimal accountValue, BigDecimal marginUsed, BigDecimal notional, String largestCoin,
                BigDecimal largestNetNotional) {

    static Exposure of(List<ClearinghouseState> accounts) {
        BigDecimal accountValue = BigDecimal.ZERO;
        BigDecimal marginUsed = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        Map<String, BigDecimal> net = new TreeMap<>();
        for (ClearinghouseState account : accounts) {
            accountValue = accountValue.add(account.marginSummary().accountValue());
            marginUsed = marginUsed.add(account.marginSummary().totalMarginUsed());
            notional = notional.add(account.marginSummary().totalNtlPos());
            for (AssetPosition p : account.positions()) {
                net.merge(p.coin(), p.signedNotional(), BigDecimal::add);
            }
        }
        String largest = "";
        BigDecimal largestNet = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> e : net.entrySet()) {
            if (e.getValue().abs().compareTo(largestNet.abs()) > 0) {
                largest = e.getKey();
                largestNet = e.getValue();
            }
        }
        return new Exposure(accountValue, marginUsed, notional, largest, largestNet);
    }

    /** The largest net position's notional in percent of the accounts' value. */
    double largestSharePct() {
        return ratio(largestNetNotional.abs()) * 100;
    }

    /** Margin in use in percent of the accounts' value. */
    double marginUsagePct() {
        return ratio(marginUsed) * 100;
    }

    /** Total notional over the accounts' value. */
    double leverage() {
        return ratio(notional);
    }

    private double ratio(BigDecimal amount) {
        return accountValue.signum() > 0 ? amount.doubleValue() / accountValue.doubleValue() : 0;
    }
}
