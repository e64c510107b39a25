package io.vigil.plugin.liquidation;

import io.vigil.hyperliquid.Candle;
import io.vigil.hyperliquid.FillLiquidation;
import io.vigil.hyperliquid.HyperliquidClient;
import io.vigil.hyperliquid.UserFill;
import io.vigil.hyperliquid.UserFills;
import io.vigil.hyperliquid.http.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Liquidations from Hyperliquid's public info API: the fills of the watched accounts
 * ({@code userFillsByTime}), of which those carrying a {@code liquidation} object (or a
 * {@code dir} "Liquidated …") are liquidations. The public API has no global liquidation feed;
 * the default watched account, the HLP Liquidator vault, is the counterparty of every backstop
 * liquidation. Prices come from {@code candleSnapshot}.
 */
final class HyperliquidSource implements LiquidationSource {

    /** Pages of {@link HyperliquidClient#FILLS_PAGE_LIMIT} read per account and run: the 10 000 fills the API keeps. */
    static final int MAX_PAGES = 5;

    private final HyperliquidClient client;
    private final List<String> accounts;

    HyperliquidSource(HyperliquidClient client, List<String> accounts) {
        this.client = client;
        this.accounts = List.copyOf(accounts);
    }

    @Override
    public String name() {
        return LiquidationSettings.HYPERLIQUID;
    }

    @Override
    public List<String> streams() {
        return accounts;
    }

    @Override
    public StreamRead read(String account, Instant from) throws ApiException, InterruptedException {
        Map<Long, UserFill> fills = new LinkedHashMap<>();
        Map<String, StreamRead.Skipped> skipped = new LinkedHashMap<>();
        Instant start = from;
        boolean truncated = false;
        for (int page = 0; page < MAX_PAGES; page++) {
            UserFills answer = client.userFillsByTime(account, start, null);
            Instant newest = start;
            for (UserFill f : answer.fills()) {
                if (!f.time().isBefore(from)) {
                    fills.putIfAbsent(f.tid(), f);
                }
                newest = f.time().isAfter(newest) ? f.time() : newest;
            }
            for (UserFills.Malformed m : answer.malformed()) {
                if (m.time().isEmpty() || !m.time().get().isBefore(from)) {
                    skipped.putIfAbsent(m.json(), new StreamRead.Skipped(m.time(), m.json(), m.error().getMessage()));
                }
            }
            if (answer.size() < HyperliquidClient.FILLS_PAGE_LIMIT || !newest.isAfter(start)) {
                break;
            }
            start = newest; // inclusive: fills at that time come again and are dropped by tid
            truncated = page == MAX_PAGES - 1;
        }
        List<Liquidation> liquidations = new ArrayList<>();
        List<AccountTrade> trades = new ArrayList<>();
        for (UserFill f : fills.values()) {
            if (f.liquidation().isPresent() || f.dir().startsWith("Liquidated")) {
                liquidations.add(liquidation(account, f));
            } else {
                trades.add(trade(account, f));
            }
        }
        return new StreamRead(liquidations, trades, List.copyOf(skipped.values()), truncated);
    }

    /**
     * The liquidated account is {@code liquidation.liquidatedUser}; without it, the watched
     * account itself when its fill says "Liquidated …", else unknown. The liquidated side: on the
     * liquidated account's own fill, from {@code dir} (or: it sold, so it was long); on the
     * counterparty's fill, the opposite of what the counterparty did (it bought: a long was
     * liquidated).
     */
    static Liquidation liquidation(String watched, UserFill f) {
        String liquidated = f.liquidation().flatMap(FillLiquidation::liquidatedUser).map(String::toLowerCase)
                .orElse(f.dir().startsWith("Liquidated") ? watched : "");
        Liquidation.Side side;
        if (liquidated.equals(watched)) {
            side = f.dir().endsWith("Short") ? Liquidation.Side.SHORT
                    : f.dir().endsWith("Long") ? Liquidation.Side.LONG
                    : f.buy() ? Liquidation.Side.SHORT : Liquidation.Side.LONG;
        } else {
            side = f.buy() ? Liquidation.Side.LONG : Liquidation.Side.SHORT;
        }
        return new Liquidation(Long.toString(f.tid()), f.time(), f.coin(), liquidated, side, f.sz(), f.px(), f.notional(),
                f.liquidation().flatMap(FillLiquidation::markPx), f.liquidation().map(FillLiquidation::method).orElse(""),
                watched);
    }

    private static AccountTrade trade(String account, UserFill f) {
        return new AccountTrade(Long.toString(f.tid()), f.time(), f.coin(), account, f.dir(), f.px(), f.sz(), f.closedPnl());
    }

    @Override
    public List<Candle> candles(String asset, Instant from, Instant to, List<Liquidation> window)
            throws ApiException, InterruptedException {
        return client.candleSnapshot(asset, "1m", from, to);
    }

    @Override
    public String priceSource() {
        return "hyperliquid candleSnapshot 1m";
    }

    @Override
    public boolean readsAccounts() {
        return true;
    }

    @Override
    public List<AccountTrade> accountFills(String account, Instant from, Instant to)
            throws ApiException, InterruptedException {
        List<AccountTrade> out = new ArrayList<>();
        for (UserFill f : client.userFillsByTime(account, from, to).fills()) {
            if (!f.time().isBefore(from) && !f.time().isAfter(to)) {
                out.add(trade(account, f));
            }
        }
        return out;
    }
}
