package io.vigil.plugin.liquidation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one read of one stream gave: liquidations, other fills of the stream's account, and the
 * records that were not in the documented format.
 *
 * @param truncated whether the source had more than one read may fetch (the rest comes next run)
 */
record StreamRead(List<Liquidation> liquidations, List<AccountTrade> trades, List<Skipped> skipped, boolean truncated) {

    /**
     * A record that was not in the documented format, skipped.
     *
     * @param time  its time, when that much could be read
     * @param key   identifies the record (its text), to recognise it when it is read again
     * @param error what was wrong, naming the field
     */
    record Skipped(Optional<Instant> time, String key, String error) {
    }
}
