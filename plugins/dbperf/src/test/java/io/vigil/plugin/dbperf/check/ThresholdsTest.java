package io.vigil.plugin.dbperf.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.plugin.dbperf.DbPerfMonitorFactory;
import io.vigil.testkit.TestMonitorContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    private static Thresholds of(Object... options) {
        Map<String, Object> all = new HashMap<>(Map.of("url", "jdbc:postgresql://db1:5432/shop"));
        for (int i = 0; i < options.length; i += 2) {
            all.put((String) options[i], options[i + 1]);
        }
        return Thresholds.from(TestMonitorContext.forFactory(new DbPerfMonitorFactory(), all).options());
    }

    @Test
    void theDefaultsAreTheOnesTheIssueAsksFor() {
        Thresholds t = of();
        assertEquals(80.0, t.limit(Check.CONNECTIONS, null));
        assertEquals(600.0, t.limit(Check.TRANSACTION_AGE, "shop"));
        assertEquals(0.0, t.limit(Check.DEADLOCKS, "shop"));
        assertEquals(0.1, t.limit(Check.PROBE_LATENCY, null));
        assertEquals(20.0, t.limit(Check.SIZE_GROWTH, "shop"));
    }

    @Test
    void anExactOverrideWinsOverAGlobAndOffTurnsTheCheckOff() {
        Thresholds t = of("overrides", new java.util.LinkedHashMap<>(Map.of(
                "tenant_*", "transaction_age_max=1h, deadlocks_max=5",
                "tenant_big", "transaction_age_max=2h, size_growth_pct_max=off")));
        assertEquals(7200.0, t.limit(Check.TRANSACTION_AGE, "tenant_big"));
        assertEquals(5.0, t.limit(Check.DEADLOCKS, "tenant_big"), "the glob still sets what the exact entry does not");
        assertEquals(Double.NaN, t.limit(Check.SIZE_GROWTH, "tenant_big"));
        assertEquals(3600.0, t.limit(Check.TRANSACTION_AGE, "tenant_small"));
        assertEquals(600.0, t.limit(Check.TRANSACTION_AGE, "shop"));
    }

    @Test
    void aCheckLeftOutOfChecksIsOff() {
        Thresholds t = of("checks", List.of("connections"));
        assertEquals(80.0, t.limit(Check.CONNECTIONS, null));
        assertEquals(Double.NaN, t.limit(Check.DEADLOCKS, "shop"));
    }

    @Test
    void everyProblemInChecksAndOverridesIsReportedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(
                "checks", List.of("connections", "lag"),
                "overrides", new java.util.LinkedHashMap<>(Map.of("shop", "transaction_age_max=soon, probe_latency_p95_max=1s, "
                        + "color=blue, deadlocks_max"))));
        assertEquals("checks: unknown check \"lag\" (the checks are connections, transaction_age, deadlocks, "
                + "probe_latency, size_growth); overrides.shop: transaction_age_max expected a duration like 30s, got "
                + "\"soon\"; overrides.shop: probe_latency_p95_max is measured for the whole server, not per database; "
                + "overrides.shop: \"color\" cannot be set per database (these can: connections_used_pct, "
                + "transaction_age_max, deadlocks_max, size_growth_pct_max); overrides.shop: expected option=value, "
                + "got \"deadlocks_max\"", e.getMessage());
    }
}
