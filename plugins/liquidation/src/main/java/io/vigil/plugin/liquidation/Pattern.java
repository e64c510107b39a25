package io.vigil.plugin.liquidation;

/** The kinds of suspicious liquidation pattern, by their name in events. */
enum Pattern {
    /** Many accounts of one asset liquidated within {@code cascade_window}, far above the asset's usual rate. */
    CASCADE("cascade"),
    /** Liquidations clustered at a price spike that came back within {@code revert_within}. */
    MANIPULATION("manipulation"),
    /** At most three accounts hold most of an asset's liquidated notional in the window. */
    CONCENTRATED("concentrated"),
    /** Positions opened and liquidated within {@code flash_window}, at size. */
    FLASH_LOAN("flash_loan"),
    /** A liquidation far above the asset's usual size. */
    ABNORMAL_SIZE("abnormal_size");

    private final String wireName;

    Pattern(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }
}
