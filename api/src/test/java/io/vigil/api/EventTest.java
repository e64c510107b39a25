package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTest {

    @Test
    void builderMakesAVersion7IdAndLeavesOriginToTheAgent() {
        Event e = Event.builder("docker.container.died").severity(Severity.HIGH).subject("db-1")
                .title("db-1 died with exit code 137").attribute("exit_code", 137).build();

        assertEquals(7, e.id().version());
        assertEquals(Severity.HIGH, e.severity());
        assertEquals(Map.of("exit_code", 137), e.attributes());
        assertNull(e.host());
        assertNull(e.plugin());
        assertNull(e.fingerprint());
    }

    @Test
    void stampingFillsOriginAndDerivesTheFingerprintFromPluginTypeAndSubject() {
        Event e = Event.builder("docker.container.died").subject("db-1").build()
                .stamped("host-a", "agent-a", "containers", "docker", "trace-1", "session-1");

        assertEquals("host-a", e.host());
        assertEquals("containers", e.monitor());
        assertEquals("docker", e.plugin());
        assertEquals("trace-1", e.traceId());
        assertEquals("session-1", e.sessionId());
        assertEquals(Event.defaultFingerprint("docker", "docker.container.died", "db-1"), e.fingerprint());
        assertEquals(32, e.fingerprint().length());
    }

    @Test
    void sameThingSameFingerprintOtherSubjectOtherFingerprint() {
        String a = Event.defaultFingerprint("docker", "docker.container.died", "db-1");
        assertEquals(a, Event.defaultFingerprint("docker", "docker.container.died", "db-1"));
        assertNotEquals(a, Event.defaultFingerprint("docker", "docker.container.died", "db-2"));
    }

    @Test
    void anExplicitFingerprintSurvivesStamping() {
        Event e = Event.builder("schema.changed").fingerprint("db:public").build()
                .stamped("h", "a", "m", "schema", "t", "s");
        assertEquals("db:public", e.fingerprint());
    }

    @Test
    void rejectsATypeThatIsNotDottedLowerCase() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Event.builder("Docker Died").build());
        assertTrue(e.getMessage().contains("dotted lower-case"), e.getMessage());
    }

    @Test
    void rejectsAnAttributeJsonCannotCarry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Event.builder("x.y").attribute("when", new Object()).build());
        assertTrue(e.getMessage().startsWith("attributes.when is a java.lang.Object"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Event.builder("x.y").attribute("ratio", Double.NaN).build());
    }

    @Test
    void attributesAreDeepCopiedAndFrozen() {
        List<Object> ports = new ArrayList<>(List.of(5432));
        Map<String, Object> nested = new LinkedHashMap<>(Map.of("ports", ports));
        Event e = Event.builder("x.y").attribute("container", nested)
                .attribute("tags", Arrays.asList("a", null)).build();
        ports.add(6379);

        @SuppressWarnings("unchecked")
        Map<String, Object> container = (Map<String, Object>) e.attributes().get("container");
        assertEquals(List.of(5432), container.get("ports"));
        assertEquals(Arrays.asList("a", null), e.attributes().get("tags"));
        assertThrows(UnsupportedOperationException.class, () -> e.attributes().put("k", "v"));
    }

    @Test
    void rejectsOverlongTitle() {
        assertThrows(IllegalArgumentException.class,
                () -> Event.builder("x.y").title("t".repeat(Event.MAX_TEXT_LENGTH + 1)).build());
    }

    @Test
    void timeDefaultsToBuildTimeAndCanBeSet() {
        Instant before = Instant.now();
        assertTrue(!Event.builder("x.y").build().time().isBefore(before));
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        assertEquals(t, Event.builder("x.y").time(t).build().time());
    }
}
