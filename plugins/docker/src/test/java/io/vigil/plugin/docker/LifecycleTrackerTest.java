package io.vigil.plugin.docker;

import static io.vigil.plugin.docker.MonitorRun.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The rules that need minutes to show on a real engine, with time as the only fake: engine event
 * times are given, the tracker's monotonic clock is moved by hand. Everything else about the
 * lifecycle is specified against the engine in {@link ContainerLifecycleTest}.
 */
class LifecycleTrackerTest {

    private static final long T0 = 1_795_000_000_000_000_000L;
    private static final ContainerFacts WORKER = new ContainerFacts("c1", "worker", "app:1", Map.of(), List.of(),
            Map.of(), List.of(), Map.of(), "", DatabaseMatch.NONE);

    private final List<Event> events = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final LifecycleTracker tracker = new LifecycleTracker("host", Duration.ofSeconds(30), 3,
            Duration.ofMinutes(5), events::add, now::get);

    @Test
    void restartLoopEndsWithOneInfoEventAfterTheWindowWithoutUnplannedExit() {
        long t = T0;
        feed("start", t, Map.of());
        for (int i = 0; i < 6; i++) {
            feed("die", t += 100_000_000L, Map.of("exitCode", "1"));
            feed("start", t += 100_000_000L, Map.of());
        }
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        tracker.tick();
        assertEquals(List.of("docker.container.started:info", "docker.container.died:high",
                "docker.container.restarted:low", "docker.container.died:high", "docker.container.restarted:low",
                "docker.container.died:high", "docker.container.restart_loop:critical"), summary(events));
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        tracker.tick();
        Event ended = events.get(events.size() - 1);
        assertEquals("docker.container.restart_loop_ended:info", summary(List.of(ended)).get(0));
        assertEquals(6, ended.attributes().get("restarts"));
        assertEquals("quiet", ended.attributes().get("reason"));
        assertEquals(events.get(6).fingerprint(), ended.fingerprint(), "the end resolves the loop alert");
    }

    @Test
    void crashesFurtherApartThanTheWindowAreNoLoop() {
        long t = T0;
        feed("start", t, Map.of());
        for (int i = 0; i < 4; i++) {
            feed("die", t += Duration.ofMinutes(3).toNanos(), Map.of("exitCode", "1"));
            feed("start", t += 1_000_000L, Map.of());
        }
        assertTrue(events.stream().noneMatch(e -> e.type().equals("docker.container.restart_loop")));
    }

    @Test
    void aKillLongerAgoThanTheCorrelationWindowDoesNotPlanTheExit() {
        feed("start", T0, Map.of());
        feed("kill", T0 + 1, Map.of("signal", "15"));
        feed("die", T0 + Duration.ofSeconds(31).toNanos(), Map.of("exitCode", "143"));
        assertEquals("docker.container.died:high", summary(events).get(1));
    }

    @Test
    void pendingOutcomeIsNamedForTheCursorUntilSettled() {
        feed("start", T0, Map.of());
        feed("kill", T0 + 1, Map.of("signal", "9"));
        feed("die", T0 + 2, Map.of("exitCode", "137"));
        assertEquals(java.util.Set.of((T0 + 2) + "|die|c1"), tracker.pendingKeys());
        now.addAndGet(LifecycleTracker.SETTLE.toNanos());
        tracker.tick();
        assertFalse(tracker.hasPending());
        assertEquals("docker.container.killed:low", summary(events).get(1));
    }

    @Test
    void cursorSkipsOnlyTheEventsAlreadySeenAtItsOwnNanosecond() {
        EventCursor cursor = EventCursor.at(T0);
        EngineEvent start = new EngineEvent("c1", "start", T0 + 5, Map.of());
        EngineEvent restart = new EngineEvent("c1", "restart", T0 + 5, Map.of());
        cursor.advance(start);
        EventCursor reread = EventCursor.fromJson(cursor.toJson());
        assertTrue(reread.isProcessed(start));
        assertFalse(reread.isProcessed(restart), "same nanosecond, another event");
        assertTrue(reread.isProcessed(new EngineEvent("c2", "die", T0 + 4, Map.of())));
        assertEquals("1795000000.000000005", reread.since());
        assertEquals("1794999999.000000005", reread.since(Duration.ofSeconds(1)));
    }

    private void feed(String action, long timeNano, Map<String, String> attributes) {
        tracker.onEvent(new EngineEvent("c1", action, timeNano, attributes), WORKER, true);
    }
}
