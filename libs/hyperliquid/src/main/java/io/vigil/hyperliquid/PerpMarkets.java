package io.vigil.hyperliquid;

import io.vigil.hyperliquid.http.MalformedResponseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to {@code metaAndAssetCtxs}: every perpetual's context, by coin name.
 *
 * <p>The overall shape ({@code [meta, assetCtxs]}, aligned arrays) is checked when the answer is
 * read; each asset's own fields are checked too, but an asset whose context is malformed only
 * fails {@link #asset} for that coin, so one odd entry among two hundred does not blind a monitor
 * to the others.
 *
 * @param receivedAt when the answer arrived (the API sends no timestamp)
 */
public final class PerpMarkets {

    private final Map<String, Object> byCoin;
    private final Instant receivedAt;

    PerpMarkets(Map<String, Object> byCoin, Instant receivedAt) {
        this.byCoin = Collections.unmodifiableMap(new LinkedHashMap<>(byCoin));
        this.receivedAt = receivedAt;
    }

    /** When the answer arrived, by the client's clock. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** The coin names of the universe, in universe order. */
    public List<String> coins() {
        return List.copyOf(byCoin.keySet());
    }

    /**
     * The context of {@code coin}; empty when the universe has no such coin.
     *
     * @throws MalformedResponseException when that coin's context is not in the documented format
     */
    public Optional<PerpAssetContext> asset(String coin) throws MalformedResponseException {
        Object entry = byCoin.get(coin);
        if (entry instanceof MalformedResponseException e) {
            throw new MalformedResponseException(e.getMessage(), e);
        }
        return Optional.ofNullable((PerpAssetContext) entry);
    }

    /** The contexts that are well formed, in universe order. */
    public List<PerpAssetContext> assets() {
        List<PerpAssetContext> out = new ArrayList<>();
        byCoin.values().forEach(v -> {
            if (v instanceof PerpAssetContext ctx) {
                out.add(ctx);
            }
        });
        return out;
    }
}
