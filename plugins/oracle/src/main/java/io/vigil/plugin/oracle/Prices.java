package io.vigil.plugin.oracle;

import io.vigil.hyperliquid.http.JsonCursor;
import io.vigil.hyperliquid.http.MalformedResponseException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Price arithmetic shared by the sources and the monitor: exact decimals, medians, percentages. */
final class Prices {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private Prices() {
    }

    /** A price field that must be a positive decimal; zero or negative is a malformed answer, not a price. */
    static BigDecimal positive(JsonCursor field) throws MalformedResponseException {
        BigDecimal price = field.decimal();
        if (price.signum() <= 0) {
            throw field.problem("is " + price.toPlainString() + ", expected a positive price");
        }
        return price;
    }

    /** The median; the mean of the two middle values for an even count. Null for none. */
    static BigDecimal median(Collection<BigDecimal> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<BigDecimal> sorted = new ArrayList<>(values);
        sorted.sort(BigDecimal::compareTo);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).add(sorted.get(n / 2)).divide(TWO);
    }

    /** {@code (value - base) / base * 100}, signed. */
    static double pct(BigDecimal value, BigDecimal base) {
        return value.subtract(base).multiply(HUNDRED).divide(base, MathContext.DECIMAL64).doubleValue();
    }

    /** A percentage as events carry it: four decimals. */
    static double round4(double pct) {
        return BigDecimal.valueOf(pct).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }
}
