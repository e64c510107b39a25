package io.vigil.plugin.dbperf.rate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vigil.api.StateStore;
import io.vigil.plugin.dbperf.DbPerfMonitorFactory;
import io.vigil.plugin.dbperf.collect.Reading.CounterSet;
import io.vigil.testkit.TestMonitorContext;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CounterRatesTest {

    private final StateStore state = TestMonitorContext.forFactory(new DbPerfMonitorFactory(),
            Map.of("url", "jdbc:sqlite:/x.db")).state();
    private final CounterRates rates = new CounterRates(state);

    private static CounterSet counters(String marker, long commits, long rollbacks) {
        return new CounterSet(marker, Map.of("commits", commits, "rollbacks", rollbacks));
    }

    @Test
    void theFirstReadingIsOnlyABaseline() {
        assertInstanceOf(CounterRates.First.class, rates.update("shop", counters("m", 10, 1), 1000));
    }

    @Test
    void theNextReadingGivesDeltasAndRatesOverTheServersElapsedTime() {
        rates.update("shop", counters("m", 10, 1), 1000);
        CounterRates.Deltas d = (CounterRates.Deltas) rates.update("shop", counters("m", 70, 4), 1030);
        assertEquals(30.0, d.seconds());
        assertEquals(OptionalLong.of(60), d.delta("commits"));
        assertEquals(OptionalDouble.of(2.1), d.rate("commits", "rollbacks"));
        assertEquals(OptionalDouble.of(0.1), d.rate("rollbacks"));
        assertEquals(OptionalDouble.empty(), d.rate("deadlocks"), "a counter the readings do not have");
    }

    @Test
    void aChangedMarkerSkipsTheIntervalAndTheNextOneHasRatesAgain() {
        rates.update("shop", counters("reset@1", 500, 5), 1000);
        CounterRates.Outcome reset = rates.update("shop", counters("reset@2", 600, 6), 1030);
        assertEquals(new CounterRates.Reset("statistics were reset or the server restarted (marker reset@1 is now "
                + "reset@2)"), reset);
        CounterRates.Deltas d = (CounterRates.Deltas) rates.update("shop", counters("reset@2", 630, 6), 1060);
        assertEquals(OptionalLong.of(30), d.delta("commits"));
    }

    @Test
    void aDecreasingCounterWithoutAMarkerIsAResetNotANegativeRate() {
        rates.update("", counters("", 90, 9), 1000);
        assertEquals(new CounterRates.Reset("commits went down from 90 to 3 (statistics flushed or the server "
                + "restarted)"), rates.update("", counters("", 3, 0), 1030));
        CounterRates.Deltas d = (CounterRates.Deltas) rates.update("", counters("", 13, 0), 1060);
        assertEquals(OptionalDouble.of(10 / 30.0), d.rate("commits"));
    }

    @Test
    void aServerClockThatDidNotAdvanceGivesNoRate() {
        rates.update("shop", counters("m", 1, 0), 1000);
        assertInstanceOf(CounterRates.Reset.class, rates.update("shop", counters("m", 2, 0), 1000));
    }

    @Test
    void theLastReadingSurvivesARestartThroughTheStateStore() {
        rates.update("shop", counters("m", 10, 0), 1000);
        rates.flush();
        CounterRates afterRestart = new CounterRates(state);
        CounterRates.Deltas d = (CounterRates.Deltas) afterRestart.update("shop", counters("m", 40, 0), 1300);
        assertEquals(OptionalDouble.of(0.1), d.rate("commits"));
    }

    @Test
    void aDroppedDatabaseIsForgotten() {
        rates.update("old", counters("m", 10, 0), 1000);
        rates.update("shop", counters("m", 10, 0), 1000);
        rates.flush();
        rates.retainOnly(java.util.Set.of("shop"));
        assertEquals(java.util.Set.of("counters:shop"), state.entries("counters:").keySet());
        assertInstanceOf(CounterRates.First.class, rates.update("old", counters("m", 20, 0), 1030));
    }
}
