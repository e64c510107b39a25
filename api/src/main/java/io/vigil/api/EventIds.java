package io.vigil.api;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Creates event ids: version 7 UUIDs (RFC 9562), time-ordered so that the server's index on
 * them stays append-mostly, and random enough to be the idempotency key end to end.
 *
 * <p>Thread-safe. Within one millisecond the 12-bit {@code rand_a} field counts up from a random
 * start (RFC 9562 method 1), so ids made by one process are strictly increasing.
 */
public final class EventIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static int sequence;

    private EventIds() {
    }

    /** A new UUIDv7 for the current time. */
    public static UUID next() {
        long millis;
        int seq;
        synchronized (EventIds.class) {
            millis = Math.max(System.currentTimeMillis(), lastMillis);
            if (millis == lastMillis) {
                sequence++;
                if (sequence > 0xFFF) {
                    // 4096 ids in one millisecond: borrow the next millisecond rather than repeat.
                    millis++;
                    sequence = RANDOM.nextInt(0x800);
                }
            } else {
                sequence = RANDOM.nextInt(0x800);
            }
            lastMillis = millis;
            seq = sequence;
        }
        long msb = (millis << 16) | 0x7000L | (seq & 0xFFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The creation time embedded in a UUIDv7, to the millisecond. */
    public static Instant timeOf(UUID v7) {
        if (v7.version() != 7) {
            throw new IllegalArgumentException("not a version 7 UUID: " + v7);
        }
        return Instant.ofEpochMilli(v7.getMostSignificantBits() >>> 16);
    }
}
