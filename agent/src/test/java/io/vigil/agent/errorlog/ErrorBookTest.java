package io.vigil.agent.errorlog;

import io.vigil.errorgroup.ErrorFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorBookTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class StepClock extends Clock {
        Instant now;

        StepClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final StepClock clock = new StepClock(Instant.parse("2026-11-20T10:00:00Z"));

    private static IllegalStateException pluginFailure(int id) {
        // thrown from the same place every time, with a message that differs
        return new IllegalStateException("row " + id + " unreadable");
    }

    @Test
    void repeatsOfOneErrorInOneHourAreOneRowWithACount() throws Exception {
        try (ErrorBook book = ErrorBook.open(dir.resolve("errors.db"), clock)) {
            for (int i = 0; i < 100; i++) {
                clock.now = clock.now.plusSeconds(10);
                book.record("monitor:disk", ErrorSink.Level.ERROR, "poll failed: row " + i, pluginFailure(i));
            }
            List<ErrorBook.Pending> pending = book.pending(10);
            assertEquals(1, pending.size());
            ErrorBook.Pending p = pending.get(0);
            assertEquals(100, p.count());
            assertEquals("monitor:disk", p.component());
            assertEquals("error", p.severity());
            assertEquals("java.lang.IllegalStateException", p.exceptionType());
            assertEquals("poll failed: row 99", p.message());
            assertEquals(Instant.parse("2026-11-20T10:00:10Z"), p.firstSeen());
            assertEquals(Instant.parse("2026-11-20T10:16:40Z"), p.lastSeen());
            assertEquals(ErrorFingerprint.of("monitor:disk", p.exceptionType(), p.stack(), p.message()), p.fingerprint());
        }
    }

    @Test
    void eachHourIsItsOwnRowSoTheServerCountsHoursExactly() throws Exception {
        try (ErrorBook book = ErrorBook.open(dir.resolve("errors.db"), clock)) {
            book.record("ship", ErrorSink.Level.WARN, "cannot ship: HTTP 503", null);
            clock.now = clock.now.plus(Duration.ofMinutes(59));
            book.record("ship", ErrorSink.Level.WARN, "cannot ship: HTTP 503", null);
            clock.now = clock.now.plus(Duration.ofMinutes(2));
            book.record("ship", ErrorSink.Level.WARN, "cannot ship: HTTP 502", null);
            List<ErrorBook.Pending> pending = book.pending(10);
            assertEquals(2, pending.size());
            assertEquals(2, pending.get(0).count());
            assertEquals(1, pending.get(1).count());
            // without a stack the normalised message groups: 503 and 502 are one error
            assertEquals(pending.get(0).fingerprint(), pending.get(1).fingerprint());
            assertNull(pending.get(0).stack());
        }
    }

    @Test
    void aRestartLosesNothing() throws Exception {
        try (ErrorBook book = ErrorBook.open(dir.resolve("errors.db"), clock)) {
            for (int i = 0; i < 3; i++) {
                book.record("monitor:disk", ErrorSink.Level.ERROR, "poll failed", pluginFailure(i));
            }
        }
        try (ErrorBook reopened = ErrorBook.open(dir.resolve("errors.db"), clock)) {
            reopened.record("monitor:disk", ErrorSink.Level.ERROR, "poll failed", pluginFailure(4));
            List<ErrorBook.Pending> pending = reopened.pending(10);
            assertEquals(1, pending.size());
            assertEquals(4, pending.get(0).count());
        }
    }

    @Test
    void acknowledgingSubtractsWhatWasShippedAndKeepsLaterOccurrences() throws Exception {
        try (ErrorBook book = ErrorBook.open(dir.resolve("errors.db"), clock)) {
            book.record("monitor:disk", ErrorSink.Level.ERROR, "poll failed", pluginFailure(1));
            book.record("monitor:cpu", ErrorSink.Level.ERROR, "poll failed", pluginFailure(1));
            List<ErrorBook.Pending> shipped = book.pending(10);
            // recorded while the shipment was in flight
            book.record("monitor:disk", ErrorSink.Level.ERROR, "poll failed", pluginFailure(2));
            book.acknowledge(shipped);
            List<ErrorBook.Pending> left = book.pending(10);
            assertEquals(1, left.size());
            assertEquals("monitor:disk", left.get(0).component());
            assertEquals(1, left.get(0).count());
        }
    }

    @Test
    void aFullBookStillCountsKnownErrorsAndDropsNewOnesCounted() throws Exception {
        try (ErrorBook book = ErrorBook.open(dir.resolve("errors.db"), clock, 2)) {
            book.record("a", ErrorSink.Level.WARN, "first", null);
            book.record("b", ErrorSink.Level.WARN, "second", null);
            book.record("c", ErrorSink.Level.WARN, "third", null);
            book.record("a", ErrorSink.Level.WARN, "first", null);
            assertEquals(2, book.rows());
            assertEquals(1, book.dropped());
            assertEquals(2, book.pending(10).stream().filter(p -> p.component().equals("a")).findFirst()
                    .orElseThrow().count());
        }
    }

    @Test
    void aBookKeepsTheHighestSeverityOfAnError() throws Exception {
        try (ErrorBook book = ErrorBook.open(dir.resolve("errors.db"), clock)) {
            book.record("ship", ErrorSink.Level.ERROR, "refused", null);
            book.record("ship", ErrorSink.Level.WARN, "refused", null);
            assertEquals("error", book.pending(1).get(0).severity());
            assertTrue(book.pending(1).get(0).message().startsWith("refused"));
        }
    }
}
