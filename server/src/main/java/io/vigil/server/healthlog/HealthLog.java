package io.vigil.server.healthlog;

import io.vigil.server.database.Sql;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.event.NewEvent;
import io.vigil.server.event.ServerEvents;
import io.vigil.server.event.Severity;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores health samples and keeps each component's current status ({@code component_status}),
 * emitting a transition event through {@link ServerEvents} when the status changes:
 * {@code server.component.degraded} (medium), {@code server.component.down} (high) and
 * {@code server.component.recovered} (info), subject = the component, attributes {@code from},
 * {@code to}, {@code reason}, {@code kind} (and {@code agent} for agents). All three share the
 * fingerprint {@code server.component:<component>}, so a rule's {@code resolve_on} finds the alert.
 *
 * <p>Safe with several replicas: the transition is decided in the transaction that changes the
 * status row, holding that row's lock ({@code SELECT ... FOR UPDATE}); a replica that waited for
 * the lock reads the status the other one wrote and sees no change. The event is stored in the same
 * transaction and published to rules after the commit.
 */
@Singleton
public class HealthLog {

    /** The {@code monitor} of transition events. */
    static final String COMPONENT = "healthlog";
    static final String DEGRADED = "server.component.degraded";
    static final String DOWN = "server.component.down";
    static final String RECOVERED = "server.component.recovered";

    private static final Logger LOG = LoggerFactory.getLogger(HealthLog.class);

    private final TransactionOperations<Connection> transactions;
    private final ServerEvents events;

    HealthLog(TransactionOperations<Connection> transactions, ServerEvents events) {
        this.transactions = transactions;
        this.events = events;
    }

    /**
     * Stores {@code sample}, updates its component's current status and, when that changed, emits
     * the transition (once, whichever replica stores the changing sample).
     *
     * @return the transition event, or null when the status did not change
     * @throws io.vigil.server.database.DatabaseUnavailableException when PostgreSQL cannot be reached
     */
    public @Nullable NewEvent record(HealthSample sample) {
        NewEvent event = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            insertSample(c, sample);
            Previous previous = lockOrCreate(c, sample);
            if (previous == null) {
                // a new component: healthy is its normal start, anything else is news
                return sample.status() == HealthStatus.HEALTHY ? null
                        : emitIn(c, sample.component(), sample.kind(), sample.agentId(), null, sample.status(),
                        sample.reason());
            }
            update(c, sample, previous.status());
            return previous.status() == sample.status() ? null
                    : emitIn(c, sample.component(), sample.kind(), sample.agentId(), previous.status(),
                    sample.status(), sample.reason());
        }));
        if (event != null) {
            events.published(event);
        }
        return event;
    }

    /**
     * Declares down every component without a sample for twice its interval (silence), unless it is
     * already down or belongs to a revoked agent, and emits {@code server.component.down} for each.
     *
     * @return the events emitted, one per component that went silent now
     */
    public List<NewEvent> checkSilence(Instant now) {
        List<NewEvent> emitted = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<NewEvent> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT c.component, c.kind, c.agent_id, c.status, c.last_sample_at, c.interval_ms
                      FROM component_status c
                     WHERE c.status <> ? AND c.last_sample_at + c.interval_ms * interval '2 milliseconds' < ?
                       AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = c.agent_id AND a.revoked_at IS NOT NULL)
                     ORDER BY c.component
                       FOR UPDATE OF c""")) {
                st.setInt(1, HealthStatus.DOWN.code());
                st.setObject(2, Sql.utc(now));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String component = rs.getString(1);
                        HealthSample.Kind kind = HealthSample.Kind.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT));
                        Long agentId = rs.getObject(3, Long.class);
                        HealthStatus from = HealthStatus.ofCode(rs.getInt(4));
                        Instant last = rs.getObject(5, OffsetDateTime.class).toInstant();
                        Duration interval = Duration.ofMillis(rs.getLong(6));
                        String reason = "silent: no health sample since " + last + " (expected every "
                                + interval.toMillis() / 1000.0 + "s)";
                        markSilent(c, component, last.plus(interval.multipliedBy(2)), reason);
                        out.add(emitIn(c, component, kind, agentId, from, HealthStatus.DOWN, reason));
                    }
                }
            }
            return out;
        }));
        emitted.forEach(events::published);
        return emitted;
    }

    private record Previous(HealthStatus status) {
    }

    private static void insertSample(Connection c, HealthSample s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO health_samples (time, component, kind, agent_id, status, reason, interval_ms, latency_ms,
                                            cpu, memory_bytes, error_count, spool_depth, outbox_backlog,
                                            db_round_trip_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (component, time) DO NOTHING""")) {
            st.setObject(1, Sql.utc(s.time()));
            st.setString(2, s.component());
            st.setString(3, s.kind().wireName());
            nullable(st, 4, s.agentId(), Types.BIGINT);
            st.setInt(5, s.status().code());
            st.setString(6, s.reason());
            st.setLong(7, s.interval().toMillis());
            nullable(st, 8, s.latencyMs(), Types.DOUBLE);
            nullable(st, 9, s.cpu(), Types.DOUBLE);
            nullable(st, 10, s.memoryBytes(), Types.BIGINT);
            nullable(st, 11, s.errorCount(), Types.BIGINT);
            nullable(st, 12, s.spoolDepth(), Types.BIGINT);
            nullable(st, 13, s.outboxBacklog(), Types.BIGINT);
            nullable(st, 14, s.dbRoundTripMs(), Types.DOUBLE);
            st.executeUpdate();
        }
    }

    /** The component's status before this sample, its row locked; null when the row was created now. */
    private static @Nullable Previous lockOrCreate(Connection c, HealthSample s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO component_status (component, kind, agent_id, status, reason, since, last_sample_at,
                                              interval_ms, first_seen_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (component) DO NOTHING""")) {
            st.setString(1, s.component());
            st.setString(2, s.kind().wireName());
            nullable(st, 3, s.agentId(), Types.BIGINT);
            st.setInt(4, s.status().code());
            st.setString(5, s.reason());
            st.setObject(6, Sql.utc(s.time()));
            st.setObject(7, Sql.utc(s.time()));
            st.setLong(8, s.interval().toMillis());
            st.setObject(9, Sql.utc(s.time()));
            if (st.executeUpdate() == 1) {
                return null;
            }
        }
        try (PreparedStatement st = c.prepareStatement(
                "SELECT status FROM component_status WHERE component = ? FOR UPDATE")) {
            st.setString(1, s.component());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Previous(HealthStatus.ofCode(rs.getInt(1)));
            }
        }
    }

    private static void update(Connection c, HealthSample s, HealthStatus previous) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                UPDATE component_status
                   SET status = ?, reason = ?, since = CASE WHEN ? THEN ? ELSE since END,
                       last_sample_at = greatest(last_sample_at, ?), interval_ms = ?, agent_id = ?
                 WHERE component = ?""")) {
            st.setInt(1, s.status().code());
            st.setString(2, s.reason());
            st.setBoolean(3, previous != s.status());
            st.setObject(4, Sql.utc(s.time()));
            st.setObject(5, Sql.utc(s.time()));
            st.setLong(6, s.interval().toMillis());
            nullable(st, 7, s.agentId(), Types.BIGINT);
            st.setString(8, s.component());
            st.executeUpdate();
        }
    }

    private static void markSilent(Connection c, String component, Instant since, String reason) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE component_status SET status = ?, reason = ?, since = ? WHERE component = ?")) {
            st.setInt(1, HealthStatus.DOWN.code());
            st.setString(2, reason);
            st.setObject(3, Sql.utc(since));
            st.setString(4, component);
            st.executeUpdate();
        }
    }

    private NewEvent emitIn(Connection c, String component, HealthSample.Kind kind, @Nullable Long agentId,
                            @Nullable HealthStatus from, HealthStatus to, String reason) throws SQLException {
        String type = switch (to) {
            case HEALTHY -> RECOVERED;
            case DEGRADED -> DEGRADED;
            case DOWN -> DOWN;
        };
        Severity severity = switch (to) {
            case HEALTHY -> Severity.INFO;
            case DEGRADED -> Severity.MEDIUM;
            case DOWN -> Severity.HIGH;
        };
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("from", from == null ? "unknown" : from.wireName());
        attributes.put("to", to.wireName());
        attributes.put("reason", reason);
        attributes.put("kind", kind.wireName());
        if (agentId != null) {
            attributes.put("agent_id", agentId);
        }
        String title = to == HealthStatus.HEALTHY ? component + " recovered"
                : component + " " + to.wireName() + ": " + reason;
        LOG.atInfo().addKeyValue("component", component).addKeyValue("from", attributes.get("from"))
                .addKeyValue("to", to.wireName()).setMessage("component {} {} -> {}{}").addArgument(component)
                .addArgument(attributes.get("from")).addArgument(to.wireName())
                .addArgument(reason.isEmpty() ? "" : " (" + reason + ")").log();
        return events.emitIn(c, new ServerEvents.Emission(COMPONENT, type, severity, component, title, attributes,
                "server.component:" + component, null));
    }


    private static void nullable(PreparedStatement st, int index, @Nullable Object value, int type)
            throws SQLException {
        if (value == null) {
            st.setNull(index, type);
        } else {
            st.setObject(index, value);
        }
    }
}
