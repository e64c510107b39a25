package io.vigil.plugin.liquidation;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Rounding and formatting of the figures events carry. */
final class Numbers {

    private Numbers() {
    }

    static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    /** {@code 2.31 M}, {@code 450.0 k}, {@code 12.5}: USD amounts for titles. */
    static String usd(double value) {
        if (Math.abs(value) >= 1_000_000) {
            return round(value / 1_000_000, 2) + " M USD";
        }
        if (Math.abs(value) >= 1_000) {
            return round(value / 1_000, 1) + " k USD";
        }
        return round(value, 2) + " USD";
    }
}
