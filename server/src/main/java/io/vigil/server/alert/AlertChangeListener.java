package io.vigil.server.alert;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reacts to alert changes in the same transaction that made them: routing writes the notification
 * outbox rows, escalation schedules or cancels its steps. A failure rolls the change back, so an
 * alert is never recorded without what must follow from it.
 */
public interface AlertChangeListener {

    /**
     * Called on the thread of the change, inside its transaction, for every change.
     *
     * @param connection the transaction's connection; do not commit or close it
     */
    void onChange(Connection connection, AlertChange change) throws SQLException;
}
