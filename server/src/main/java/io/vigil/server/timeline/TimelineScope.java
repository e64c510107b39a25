package io.vigil.server.timeline;

/**
 * What a timeline follows: one monitor run (trace), one agent process (session), or one subject
 * (an asset, a container, a path) over a time window.
 */
enum TimelineScope {
    TRACE("trace", 255),
    SESSION("session", 255),
    SUBJECT("subject", 1024);

    private final String wireName;
    private final int maxLength;

    TimelineScope(String wireName, int maxLength) {
        this.wireName = wireName;
        this.maxLength = maxLength;
    }

    /** How the API names it: {@code trace}, {@code session}, {@code subject}. */
    String wireName() {
        return wireName;
    }

    /** The longest key the ingest API accepts for it, so a longer one cannot match anything. */
    int maxLength() {
        return maxLength;
    }

    /** Whether the timeline is bounded by a window (a trace or a session bounds itself). */
    boolean windowed() {
        return this == SUBJECT;
    }
}
