package io.vigil.plugin.filesystem;

import java.util.Locale;

/** What happened to a path, as the event type and the prefix of a severity rule name it. */
enum ChangeType {
    CREATED,
    MODIFIED,
    DELETED,
    PERMISSIONS_CHANGED,
    RENAMED,
    UNREADABLE;

    /** The word used in severity rules and summary counts: {@code permissions_changed}. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The event type: {@code file.permissions_changed}. */
    String eventType() {
        return "file." + word();
    }

    /** The change a severity-rule prefix names, or {@code null}. */
    static ChangeType ofWord(String word) {
        for (ChangeType t : values()) {
            if (t.word().equals(word)) {
                return t;
            }
        }
        return null;
    }
}
