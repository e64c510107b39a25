package io.vigil.server.alert;

/**
 * A change of an alert's state, handed to every {@link AlertChangeListener} inside the transaction
 * that made it.
 *
 * @param alert the alert after the change
 * @param actor who made it: {@code rule:<id>} for the engine, a caller's name for people
 */
public record AlertChange(Kind kind, Alert alert, String actor) {

    public enum Kind {
        /** A new alert (a first occurrence, or one after the previous alert of its key resolved). */
        FIRED,
        /** Someone acknowledged it. */
        ACKNOWLEDGED,
        /** It resolved, by itself or by someone. */
        RESOLVED
    }
}
