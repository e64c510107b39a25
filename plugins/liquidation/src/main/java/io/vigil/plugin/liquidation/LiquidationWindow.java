package io.vigil.plugin.liquidation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The liquidations (and other fills of the read accounts) of the last {@code window}, in memory,
 * by id: a liquidation read twice (from two watched accounts, or again after a restart) is kept
 * once. After a restart it is read again from the source; the cursor says which of its records
 * were counted already.
 */
final class LiquidationWindow {

    private final Map<String, Liquidation> liquidations = new LinkedHashMap<>();
    private final Map<String, AccountTrade> trades = new LinkedHashMap<>();

    boolean contains(String id) {
        return liquidations.containsKey(id);
    }

    void add(Liquidation l) {
        liquidations.putIfAbsent(l.id(), l);
    }

    void add(AccountTrade t) {
        trades.putIfAbsent(t.account() + "/" + t.id(), t);
    }

    void forgetBefore(Instant start) {
        liquidations.values().removeIf(l -> l.time().isBefore(start));
        trades.values().removeIf(t -> t.time().isBefore(start));
    }

    List<Liquidation> liquidations() {
        return new ArrayList<>(liquidations.values());
    }

    List<AccountTrade> trades() {
        return new ArrayList<>(trades.values());
    }
}
