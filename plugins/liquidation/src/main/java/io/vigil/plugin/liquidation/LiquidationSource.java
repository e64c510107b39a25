package io.vigil.plugin.liquidation;

import io.vigil.hyperliquid.Candle;
import io.vigil.hyperliquid.http.ApiException;
import java.time.Instant;
import java.util.List;

/** Where liquidations, and the prices and account fills the patterns need, come from. */
interface LiquidationSource {

    /** The source's name, {@code hyperliquid} or {@code feed}, for events and logs. */
    String name();

    /** The streams read every run, each with its own cursor: one per watched account, or {@code feed}. */
    List<String> streams();

    /** The records of {@code stream} from {@code from} (inclusive) on. */
    StreamRead read(String stream, Instant from) throws ApiException, InterruptedException;

    /**
     * One-minute candles of {@code asset} from {@code from} to {@code to}.
     *
     * @param window the liquidations in the monitor's window, for a source that has no price
     *               series of its own and builds one from their prices
     */
    List<Candle> candles(String asset, Instant from, Instant to, List<Liquidation> window)
            throws ApiException, InterruptedException;

    /** A description of where {@link #candles} come from, for events. */
    String priceSource();

    /** Whether {@link #accountFills} can read an account's own fills. */
    boolean readsAccounts();

    /** The fills of {@code account} from {@code from} to {@code to}, liquidations included as trades. */
    List<AccountTrade> accountFills(String account, Instant from, Instant to) throws ApiException, InterruptedException;
}
