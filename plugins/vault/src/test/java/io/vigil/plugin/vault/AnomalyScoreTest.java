package io.vigil.plugin.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.testkit.TestMonitorContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnomalyScoreTest {

    private static AnomalyScore score(double drawdown, double loss1h, double share, double margin) {
        return new AnomalyScore(List.of(
                new AnomalyScore.Factor("drawdown", drawdown, 0.5, 5.0, 0.75),
                new AnomalyScore.Factor("loss_1h", loss1h, 0.25, 2.0, 0.6),
                new AnomalyScore.Factor("position_share", share, 20, 80, 0.5),
                new AnomalyScore.Factor("margin_usage", margin, 40, 90, 0.5)));
    }

    @Test
    void aFiveFoldDrawdownAloneIsCritical() {
        assertEquals(75.0, score(5.0, 0, 0, 0).score(), 1e-9);
        assertEquals(75.0, score(12.0, 0, 0, 0).score(), 1e-9);
    }

    @Test
    void aTwoPercentHourIsCriticalWithTheDrawdownItImplies() {
        // a 2 % loss in the last hour is also at least a 2 % drawdown
        assertEquals(100 * (1 - (1 - 0.75 * (1.5 / 4.5)) * (1 - 0.6)), score(2.0, 2.0, 0, 0).score(), 1e-9);
        assertEquals(70.0, score(2.0, 2.0, 0, 0).score(), 1e-9);
    }

    @Test
    void concentrationOrMarginAloneIsAtMostHighBothTogetherAreCritical() {
        assertEquals(50.0, score(0, 0, 100, 0).score(), 1e-9);
        assertEquals(50.0, score(0, 0, 0, 100).score(), 1e-9);
        assertEquals(75.0, score(0, 0, 80, 90).score(), 1e-9);
    }

    @Test
    void nothingRaisedIsZeroAndEverythingRaisedStaysBelowAHundred() {
        assertEquals(0.0, score(0.5, 0.25, 20, 40).score(), 1e-9);
        assertEquals(100 * (1 - 0.25 * 0.4 * 0.5 * 0.5), score(99, 99, 99, 99).score(), 1e-9);
    }

    @Test
    void theLevelStepsDownOnlyPastTheHysteresis() {
        assertEquals(ScoreLevel.CRITICAL, ScoreLevel.next(ScoreLevel.HIGH, 70, 50, 70, 5));
        assertEquals(ScoreLevel.CRITICAL, ScoreLevel.next(ScoreLevel.CRITICAL, 66, 50, 70, 5));
        assertEquals(ScoreLevel.HIGH, ScoreLevel.next(ScoreLevel.CRITICAL, 64, 50, 70, 5));
        assertEquals(ScoreLevel.HIGH, ScoreLevel.next(ScoreLevel.HIGH, 46, 50, 70, 5));
        assertEquals(ScoreLevel.NORMAL, ScoreLevel.next(ScoreLevel.HIGH, 44, 50, 70, 5));
    }

    @Test
    void badOptionsAreAllReportedAtCreation() {
        VaultHealthMonitorFactory factory = new VaultHealthMonitorFactory();
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of(
                "vault_address", "HLP",
                "high_score", 80.0,
                "drawdown_full_pct", 0.1,
                "weights", new java.util.TreeMap<>(Map.of("drawdown", "2", "volatility", "0.3"))));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create(ctx));
        assertEquals("vault_address: expected 0x and 40 hex digits, got \"HLP\"; "
                + "high_score, critical_score: must satisfy 0 < high_score <= critical_score <= 100, got 80.0 and 70.0; "
                + "drawdown_start_pct, drawdown_full_pct: must satisfy 0 <= start < full, got 0.5 and 0.1; "
                + "weights: drawdown must be a number from 0 to 1, got \"2\"; "
                + "weights: unknown factor \"volatility\"; factors are drawdown, loss_1h, position_share, margin_usage",
                e.getMessage());
    }
}
