package io.vigil.server.alert;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.dashboard.DashboardContributor;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.event.Severity;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's {@code firing_alerts}: how many alerts are open now, by severity, and the most
 * severe, newest of them. Open alerts are shown whatever the dashboard's window: an alert that
 * fired last week and still fires matters today.
 */
@Singleton
@Order(Ordered.HIGHEST_PRECEDENCE) // first: a later contributor of the same field (a test stand-in) overrides it
class FiringAlertsContributor implements DashboardContributor {

    private static final int SHOWN = 10;

    /**
     * @param firing       unacknowledged firing alerts
     * @param acknowledged acknowledged, not yet resolved
     * @param bySeverity   firing alerts per severity, critical first
     * @param top          the most severe firing alerts, newest first within a severity
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record FiringAlerts(int firing, int acknowledged, Map<String, Integer> bySeverity, List<Summary> top) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record Summary(long id, String rule, String severity, String title, int count, Instant firstSeenAt,
                   Instant lastSeenAt, int escalationLevel) {
    }

    private final TransactionOperations<Connection> transactions;

    FiringAlertsContributor(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    @Override
    public String field() {
        return FIRING_ALERTS;
    }

    @Override
    public @Nullable Object contribute(Instant since, Instant until) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            Connection c = status.getConnection();
            Map<String, Integer> bySeverity = new LinkedHashMap<>();
            for (int code = Severity.CRITICAL.code(); code >= 0; code--) {
                bySeverity.put(Severity.fromCode(code).wireName(), 0);
            }
            int firing = 0;
            int acknowledged = 0;
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT state, severity, count(*) FROM alerts WHERE state <> 'resolved' GROUP BY state, severity");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int n = rs.getInt(3);
                    if (rs.getString(1).equals("acknowledged")) {
                        acknowledged += n;
                    } else {
                        firing += n;
                        bySeverity.merge(Severity.fromCode(rs.getShort(2)).wireName(), n, Integer::sum);
                    }
                }
            }
            List<Summary> top = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT id, rule_id, severity, title, count, first_seen_at, last_seen_at, escalation_level
                      FROM alerts WHERE state = 'firing' ORDER BY severity DESC, id DESC LIMIT ?""")) {
                st.setInt(1, SHOWN);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        top.add(new Summary(rs.getLong(1), rs.getString(2), Severity.fromCode(rs.getShort(3)).wireName(),
                                rs.getString(4), rs.getInt(5), rs.getTimestamp(6).toInstant(),
                                rs.getTimestamp(7).toInstant(), rs.getInt(8)));
                    }
                }
            }
            return new FiringAlerts(firing, acknowledged, bySeverity, top);
        }));
    }
}
