package io.vigil.plugin.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.api.Event;
import io.vigil.api.PolledMonitor;
import io.vigil.api.Severity;
import io.vigil.testkit.TestMonitorContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatMonitorTest {

    private final HeartbeatMonitorFactory factory = new HeartbeatMonitorFactory();

    @Test
    void eachPollEmitsOneNumberedHeartbeatWithTheConfiguredTitle() throws Exception {
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of("message", "still here"));
        PolledMonitor monitor = (PolledMonitor) factory.create(ctx);

        monitor.poll();
        monitor.poll();

        List<Event> events = ctx.events();
        assertEquals(2, events.size());
        assertEquals("example.heartbeat", events.get(0).type());
        assertEquals("still here", events.get(0).title());
        assertEquals(Severity.INFO, events.get(0).severity());
        assertEquals(1L, events.get(0).attributes().get("beat"));
        assertEquals(2L, events.get(1).attributes().get("beat"));
    }

    @Test
    void numberingContinuesAfterARestartBecauseItIsKeptInState() throws Exception {
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of());
        ((PolledMonitor) factory.create(ctx)).poll();
        ((PolledMonitor) factory.create(ctx)).poll(); // a new instance over the same state

        assertEquals(2L, ctx.events().get(1).attributes().get("beat"));
    }

    @Test
    void anUnknownSeverityFailsAtCreationNotAtFirstPoll() {
        TestMonitorContext ctx = TestMonitorContext.forFactory(factory, Map.of("severity", "urgent"));
        assertThrows(IllegalArgumentException.class, () -> factory.create(ctx));
    }
}
