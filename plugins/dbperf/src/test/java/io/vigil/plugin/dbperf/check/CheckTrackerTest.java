package io.vigil.plugin.dbperf.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import io.vigil.api.StateStore;
import io.vigil.plugin.dbperf.DbPerfMonitorFactory;
import io.vigil.testkit.TestMonitorContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckTrackerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final TestMonitorContext ctx = TestMonitorContext.forFactory(new DbPerfMonitorFactory(),
            new HashMap<>(Map.of("url", "jdbc:postgresql://db1:5432/shop", "overrides", Map.of("quiet", "deadlocks_max=off"))));
    private final StateStore state = ctx.state();

    private CheckTracker tracker() {
        return new CheckTracker(state, Thresholds.from(ctx.options()), "postgresql://db1:5432", "postgresql",
                db -> db == null ? "postgresql://db1:5432" : "postgresql://db1:5432/" + db, ctx.emitter()::emit);
    }

    private static Observation latency(double p95) {
        return new Observation(Check.PROBE_LATENCY, null, p95, Map.of("samples", 10));
    }

    private static List<String> types(List<Event> events) {
        return events.stream().map(e -> e.type() + " " + e.severity().wireName()).toList();
    }

    @Test
    void oneEventOnCrossingNoneWhileItStaysAndOneOnRecoveryWithTheSameFingerprint() {
        CheckTracker t = tracker();
        assertEquals(List.of(), t.evaluate(List.of(latency(0.05)), T0));
        List<Event> crossed = t.evaluate(List.of(latency(0.15)), T0.plusSeconds(30));
        assertEquals(List.of(), t.evaluate(List.of(latency(0.40)), T0.plusSeconds(60)));
        assertEquals(List.of(), t.evaluate(List.of(latency(0.12)), T0.plusSeconds(90)));
        List<Event> recovered = t.evaluate(List.of(latency(0.10)), T0.plusSeconds(120));

        assertEquals(List.of("dbperf.probe_latency.exceeded medium"), types(crossed));
        assertEquals("Probe latency p95 on postgresql://db1:5432 is 150 ms (limit 100 ms)", crossed.get(0).title());
        assertEquals(List.of("dbperf.probe_latency.recovered info"), types(recovered));
        assertEquals(crossed.get(0).fingerprint(), recovered.get(0).fingerprint());
        assertEquals(0.40, recovered.get(0).attributes().get("peak"));
        assertEquals(90L, recovered.get(0).attributes().get("exceeded_seconds"));
        assertEquals("Probe latency p95 on postgresql://db1:5432 is back to 100 ms (limit 100 ms)",
                recovered.get(0).title());
    }

    @Test
    void connectionsCountAsExceededAtTheLimitItself() {
        List<Event> events = tracker().evaluate(List.of(new Observation(Check.CONNECTIONS, null, 80.0, Map.of())), T0);
        assertEquals(List.of("dbperf.connections.exceeded high"), types(events));
    }

    @Test
    void aRestartDuringAnEpisodeNeitherRepeatsTheCrossingNorLosesTheRecovery() {
        tracker().evaluate(List.of(latency(0.5)), T0);
        CheckTracker afterRestart = tracker();
        assertEquals(List.of(), afterRestart.evaluate(List.of(latency(0.5)), T0.plusSeconds(30)));
        assertEquals(List.of("dbperf.probe_latency.recovered info"),
                types(afterRestart.evaluate(List.of(latency(0.01)), T0.plusSeconds(60))));
    }

    @Test
    void aDatabaseWithTheCheckTurnedOffByAnOverrideRaisesNothing() {
        assertEquals(List.of(), tracker().evaluate(List.of(new Observation(Check.DEADLOCKS, "quiet", 3, Map.of())), T0));
        assertEquals(List.of("dbperf.deadlocks.exceeded medium"), types(tracker().evaluate(
                List.of(new Observation(Check.DEADLOCKS, "shop", 3, Map.of())), T0)));
    }

    @Test
    void anEpisodeOfADroppedDatabaseEndsWithOneRecovery() {
        CheckTracker t = tracker();
        t.evaluate(List.of(new Observation(Check.TRANSACTION_AGE, "gone", 900, Map.of())), T0);
        List<Event> events = t.forgetAllBut(Set.of("shop"), T0.plus(Duration.ofMinutes(5)));
        assertEquals(List.of("dbperf.transaction_age.recovered info"), types(events));
        assertEquals("the database is no longer reported", events.get(0).attributes().get("reason"));
        assertEquals("postgresql://db1:5432/gone", events.get(0).subject());
        assertEquals(List.of(), t.forgetAllBut(Set.of("shop"), T0.plus(Duration.ofMinutes(6))));
    }

    @Test
    void probeLatencyIsJudgedOnTheP95OfTheWindowOnceItHoldsFiveSamples() {
        LatencyWindow window = new LatencyWindow(Duration.ofMinutes(5));
        CheckTracker t = tracker();
        double[] probes = {0.002, 0.003, 0.250, 0.002};
        for (int i = 0; i < probes.length; i++) {
            window.add(T0.plusSeconds(30L * i), probes[i]);
            assertTrue(window.p95(T0.plusSeconds(30L * i)).isEmpty(), "fewer than five samples");
        }
        window.add(T0.plusSeconds(120), 0.004);
        double p95 = window.p95(T0.plusSeconds(120)).orElseThrow();
        assertEquals(0.250, p95, "nearest rank: the 5th of 5");
        assertEquals(List.of("dbperf.probe_latency.exceeded medium"),
                types(t.evaluate(List.of(latency(p95)), T0.plusSeconds(120))));

        // the slow probe leaves the 5-minute window
        for (int i = 5; i < 16; i++) {
            window.add(T0.plusSeconds(30L * i), 0.003);
        }
        Instant later = T0.plusSeconds(30 * 15);
        assertEquals(0.003, window.p95(later).orElseThrow());
        assertEquals(List.of("dbperf.probe_latency.recovered info"), types(t.evaluate(List.of(latency(0.003)), later)));
        assertEquals(List.of("dbperf.probe_latency.exceeded medium"),
                types(t.evaluate(List.of(latency(0.3)), later.plusSeconds(30))), "a new episode is reported again");
    }
}
