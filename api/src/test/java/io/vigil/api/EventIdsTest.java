package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void idsAreVersion7WithTheRfcVariant() {
        UUID id = EventIds.next();
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
    }

    @Test
    void idsFromOneProcessAreStrictlyIncreasingEvenWithinOneMillisecond() {
        UUID previous = EventIds.next();
        for (int i = 0; i < 50_000; i++) {
            UUID next = EventIds.next();
            // UUID.compareTo compares signed longs; the timestamp's top bit is 0 until year 6429.
            assertTrue(next.compareTo(previous) > 0, previous + " then " + next);
            previous = next;
        }
    }

    @Test
    void embeddedTimeIsTheCreationTime() {
        Instant before = Instant.now().minusMillis(1);
        Instant t = EventIds.timeOf(EventIds.next());
        assertTrue(!t.isBefore(before) && t.isBefore(before.plus(Duration.ofSeconds(5))));
    }

    @Test
    void timeOfRefusesOtherVersions() {
        assertThrows(IllegalArgumentException.class, () -> EventIds.timeOf(UUID.randomUUID()));
    }
}
