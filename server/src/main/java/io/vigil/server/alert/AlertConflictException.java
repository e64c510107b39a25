package io.vigil.server.alert;

/** The alert is not in a state that allows the action (acknowledging a resolved alert, ...). */
public class AlertConflictException extends RuntimeException {
    public AlertConflictException(String message) {
        super(message);
    }
}
