package io.vigil.server.escalation;

import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.vigil.server.alert.AlertingScheduler;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.alert.Alert;
import io.vigil.server.alert.AlertRows;
import io.vigil.server.alert.AlertService;
import io.vigil.server.alert.AlertState;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.notify.NotificationMessage;
import io.vigil.server.notify.Outbox;
import io.vigil.server.silence.Silences;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the escalation steps that are due, every {@code vigil.alerting.group-tick}. Rows are claimed
 * with {@code FOR UPDATE SKIP LOCKED}, so with several replicas each step is notified once; the
 * outbox rows, the alert's escalation level and its audit line commit together with the step.
 * While an alert is silenced its escalation waits (re-checked every minute).
 */
@Singleton
@Requires(property = "vigil.alerting.enabled", notEquals = "false")
class EscalationTicker {

    private static final Logger LOG = LoggerFactory.getLogger(EscalationTicker.class);
    private static final Duration SILENCED_RECHECK = Duration.ofMinutes(1);
    private static final int BATCH = 50;

    private record Due(long alertId, String policy, int step) {
    }

    private final TransactionOperations<Connection> transactions;
    private final EscalationPolicies policies;
    private final AlertService alerts;
    private final AlertRows rows;
    private final Silences silences;
    private final Outbox outbox;
    private final Clock clock;
    private volatile boolean databaseWasDown;
    private final AlertingScheduler scheduler;
    private final Duration tickInterval;

    EscalationTicker(TransactionOperations<Connection> transactions, EscalationPolicies policies, AlertService alerts,
                     JsonMapper json, Silences silences, Outbox outbox, @Named("alerting") Clock clock,
                     AlertingScheduler scheduler, @Value("${vigil.alerting.group-tick:1s}") Duration tick) {
        this.scheduler = scheduler;
        this.tickInterval = tick;
        this.transactions = transactions;
        this.policies = policies;
        this.alerts = alerts;
        this.rows = new AlertRows(json);
        this.silences = silences;
        this.outbox = outbox;
        this.clock = clock;
    }

    @EventListener
    void start(StartupEvent event) {
        scheduler.every("escalation", tickInterval, tickInterval, this::tick);
    }

    void tick() {
        try {
            int n;
            do {
                n = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> runDue(status.getConnection())));
            } while (n == BATCH);
            databaseWasDown = false;
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                if (!databaseWasDown) {
                    databaseWasDown = true;
                    LOG.warn("escalation paused: the database is unreachable");
                }
                return;
            }
            LOG.error("escalation failed: {}", e.toString(), e);
        }
    }

    private int runDue(Connection c) throws SQLException {
        Instant now = clock.instant();
        List<Due> due = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                SELECT alert_id, policy, step FROM alert_escalations WHERE due_at <= ?
                 ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED""")) {
            st.setTimestamp(1, Timestamp.from(now));
            st.setInt(2, BATCH);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getLong(1), rs.getString(2), rs.getInt(3)));
                }
            }
        }
        if (due.isEmpty()) {
            return 0;
        }
        Map<Long, Alert> byId = new java.util.HashMap<>();
        for (Alert a : rows.load(c, due.stream().map(Due::alertId).toList())) {
            byId.put(a.id(), a);
        }
        Silences.Suppressions suppressions = silences.at(c, now);
        for (Due d : due) {
            Alert a = byId.get(d.alertId());
            EscalationPolicy policy = policies.find(d.policy());
            if (a == null || a.state() != AlertState.FIRING || policy == null || d.step() >= policy.steps().size()) {
                if (policy == null && a != null) {
                    LOG.warn("escalation policy {} of alert {} is no longer defined; escalation stopped", d.policy(), a.id());
                }
                delete(c, d);
                continue;
            }
            if (suppressions.suppressed(a.labels())) {
                reschedule(c, d, d.step(), now.plus(SILENCED_RECHECK));
                continue;
            }
            EscalationPolicy.Step step = policy.steps().get(d.step());
            int level = d.step() + 1;
            NotificationMessage message = NotificationMessage.of("escalation", "alert:" + a.id(), Map.of(), List.of(a),
                    level, now);
            for (String channel : step.channels()) {
                outbox.enqueue(c, channel, message, null, now);
            }
            alerts.recordEscalation(c, a.id(), level, d.policy(), now);
            LOG.atInfo().addKeyValue("alert_id", a.id()).addKeyValue("level", level)
                    .setMessage("alert {} not acknowledged after {}: escalation level {} to {}").addArgument(a.id())
                    .addArgument(io.vigil.server.configfile.Durations.format(step.after())).addArgument(level)
                    .addArgument(step.channels()).log();
            if (level < policy.steps().size()) {
                reschedule(c, d, level, a.firstSeenAt().plus(policy.steps().get(level).after()));
            } else {
                delete(c, d);
            }
        }
        return due.size();
    }

    private static void delete(Connection c, Due d) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_escalations WHERE alert_id = ? AND policy = ?")) {
            st.setLong(1, d.alertId());
            st.setString(2, d.policy());
            st.executeUpdate();
        }
    }

    private static void reschedule(Connection c, Due d, int step, Instant due) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE alert_escalations SET step = ?, due_at = ? WHERE alert_id = ? AND policy = ?")) {
            st.setInt(1, step);
            st.setTimestamp(2, Timestamp.from(due));
            st.setLong(3, d.alertId());
            st.setString(4, d.policy());
            st.executeUpdate();
        }
    }
}
