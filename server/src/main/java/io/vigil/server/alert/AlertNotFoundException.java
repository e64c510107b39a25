package io.vigil.server.alert;

/** No alert has the id asked for. */
public class AlertNotFoundException extends RuntimeException {
    public AlertNotFoundException(long id) {
        super("no alert with id " + id);
    }
}
