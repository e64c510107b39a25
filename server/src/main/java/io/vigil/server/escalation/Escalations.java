package io.vigil.server.escalation;

import io.vigil.server.alert.Alert;
import io.vigil.server.alert.AlertChange;
import io.vigil.server.alert.AlertChangeListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The escalation state of alerts, kept in PostgreSQL ({@code alert_escalations}: the next step and
 * when it is due) so that it survives restarts and is shared by replicas. Routing starts an
 * escalation when an alert fires on a route with a policy; acknowledging or resolving the alert
 * cancels it in the same transaction.
 */
@Singleton
public class Escalations implements AlertChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(Escalations.class);

    private final EscalationPolicies policies;

    Escalations(EscalationPolicies policies) {
        this.policies = policies;
    }

    /** Schedules the first step of {@code policyName} for a new alert, in the caller's transaction. */
    public void start(Connection c, Alert alert, String policyName) throws SQLException {
        EscalationPolicy policy = policies.find(policyName);
        if (policy == null || policy.steps().isEmpty()) {
            LOG.warn("escalation policy {} of alert {} is not defined; no escalation", policyName, alert.id());
            return;
        }
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO alert_escalations (alert_id, policy, step, due_at) VALUES (?, ?, 0, ?)
                ON CONFLICT DO NOTHING""")) {
            st.setLong(1, alert.id());
            st.setString(2, policyName);
            st.setTimestamp(3, Timestamp.from(alert.firstSeenAt().plus(policy.steps().get(0).after())));
            st.executeUpdate();
        }
    }

    @Override
    public void onChange(Connection c, AlertChange change) throws SQLException {
        if (change.kind() == AlertChange.Kind.FIRED) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_escalations WHERE alert_id = ?")) {
            st.setLong(1, change.alert().id());
            st.executeUpdate();
        }
    }
}
