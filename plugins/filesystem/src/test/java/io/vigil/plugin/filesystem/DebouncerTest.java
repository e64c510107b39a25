package io.vigil.plugin.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Debouncer debouncer = new Debouncer(Duration.ofMillis(500), Duration.ofSeconds(5), now::get);

    private void advanceMillis(long ms) {
        now.addAndGet(Duration.ofMillis(ms).toNanos());
    }

    @Test
    void aBatchIsDueAfterTheQuietPeriodSinceTheLastChange() {
        debouncer.path(Path.of("/a"));
        advanceMillis(400);
        debouncer.path(Path.of("/b"));
        advanceMillis(400);
        assertFalse(debouncer.isDue());
        assertEquals(Duration.ofMillis(100).toNanos(), debouncer.nanosUntilDue());
        advanceMillis(100);
        assertTrue(debouncer.isDue());
        assertEquals(Set.of(Path.of("/a"), Path.of("/b")), debouncer.take().paths());
        assertTrue(debouncer.isEmpty());
    }

    @Test
    void aPathChangedManyTimesIsEvaluatedOnce() {
        for (int i = 0; i < 100; i++) {
            debouncer.path(Path.of("/log"));
        }
        assertEquals(Set.of(Path.of("/log")), debouncer.take().paths());
    }

    @Test
    void continuousChangesAreEvaluatedAfterMaxDelayAnyway() {
        for (int i = 0; i < 49; i++) {
            debouncer.path(Path.of("/busy"));
            advanceMillis(100);
            assertFalse(debouncer.isDue(), "at " + i);
        }
        debouncer.path(Path.of("/busy"));
        advanceMillis(100);
        assertTrue(debouncer.isDue());
    }

    @Test
    void nothingPendingIsNeverDue() {
        assertEquals(Long.MAX_VALUE, debouncer.nanosUntilDue());
        assertFalse(debouncer.isDue());
    }

    @Test
    void subtreesInsideOtherSubtreesAreWalkedOnce() {
        debouncer.subtree(Path.of("/a/b"));
        debouncer.subtree(Path.of("/a"));
        debouncer.subtree(Path.of("/ab"));
        debouncer.subtree(Path.of("/a/b/c"));
        assertEquals(List.of(Path.of("/a"), Path.of("/ab")), debouncer.take().outermostSubtrees());
    }
}
