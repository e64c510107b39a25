package io.vigil.hyperliquid;

import java.math.BigDecimal;
import java.time.Instant;

/** One point of a portfolio history: {@code [ms, "value"]} on the wire. */
public record TimedValue(Instant time, BigDecimal value) {
}
