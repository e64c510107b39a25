package io.vigil.server.route;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.alert.Alert;
import io.vigil.server.alert.AlertChange;
import io.vigil.server.alert.AlertChangeListener;
import io.vigil.server.alert.AlertRows;
import io.vigil.server.alert.AlertState;
import io.vigil.server.escalation.Escalations;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides notifications, in the transaction of the alert change. A fired alert joins a
 * notification group on each route that delivers it ({@code notification_groups},
 * {@code notification_group_alerts}); a group is flushed (its outbox rows written) when it is due:
 * at once when {@code group_wait} is 0, otherwise by the {@link RouteTicker}. A flush notifies of
 * alerts that are new or newly resolved since the group's last notification, or of all its firing
 * alerts again once {@code repeat_interval} has passed, leaving out what silences and maintenance
 * windows suppress. A repeat of an open alert is not a change: no new notification.
 */
@Singleton
public class NotificationPlanner implements AlertChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationPlanner.class);
    /** How often a group with silenced, never-notified alerts checks whether the silence ended. */
    private static final Duration SILENCE_RECHECK = Duration.ofMinutes(1);
    private static final int FLUSH_BATCH = 100;

    private final RoutingFile routing;
    private final Outbox outbox;
    private final Silences silences;
    private final Escalations escalations;
    private final AlertRows rows;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    private record Group(long id, String routeId, String key, Map<String, String> labels, @Nullable Instant flushAt,
                         @Nullable Instant lastSentAt) {
    }

    NotificationPlanner(RoutingFile routing, Outbox outbox, Silences silences, Escalations escalations, JsonMapper json,
                        TransactionOperations<Connection> transactions, @Named("alerting") Clock clock) {
        this.routing = routing;
        this.outbox = outbox;
        this.silences = silences;
        this.escalations = escalations;
        this.rows = new AlertRows(json);
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void onChange(Connection c, AlertChange change) throws SQLException {
        Instant now = clock.instant();
        Alert alert = change.alert();
        switch (change.kind()) {
            case FIRED -> {
                Set<String> escalating = new LinkedHashSet<>();
                Silences.Suppressions suppressions = null;
                for (Route route : routing.match(alert.labels())) {
                    if (route.escalation() != null) {
                        escalating.add(route.escalation());
                    }
                    if (route.channels().isEmpty()) {
                        continue;
                    }
                    if (route.groupBy() == null && route.groupWait().isZero()) {
                        if (suppressions == null) {
                            suppressions = silences.at(c, now);
                        }
                        if (notifyAlone(c, route, alert, suppressions, now)) {
                            continue;
                        }
                    }
                    Group g = joinGroup(c, route, alert, now);
                    if (g.flushAt() != null && !g.flushAt().isAfter(now)) {
                        flush(c, g, route, now);
                    }
                }
                for (String policy : escalating) {
                    escalations.start(c, alert, policy);
                }
            }
            case RESOLVED -> {
                for (Group g : groupsOf(c, alert.id())) {
                    Route route = routing.route(g.routeId());
                    Instant flushAt = dueAfterChange(g, route, now);
                    setFlushAt(c, g.id(), flushAt);
                    if (route != null && !flushAt.isAfter(now)) {
                        flush(c, new Group(g.id(), g.routeId(), g.key(), g.labels(), flushAt, g.lastSentAt()), route, now);
                    }
                }
            }
            case ACKNOWLEDGED -> {
                // no notification: acknowledging only stops escalation and repeats
            }
        }
    }

    /**
     * The common case, in three round trips: a route that groups nothing and does not wait. The
     * alert is new, so its group is new and due at once: the group is written as already notified
     * (or waiting for its silence to end) together with the outbox rows.
     *
     * @return false when the group exists after all (then the general path handles it)
     */
    private boolean notifyAlone(Connection c, Route route, Alert alert, Silences.Suppressions suppressions, Instant now)
            throws SQLException {
        boolean silenced = suppressions.suppressed(alert.labels());
        String key = route.groupKey(alert.id(), alert.labels());
        try (PreparedStatement st = c.prepareStatement("""
                WITH g AS (
                    INSERT INTO notification_groups (route_id, group_key, group_labels, created_at, flush_at, last_sent_at)
                    VALUES (?, ?, '{}', ?, ?, ?) ON CONFLICT (route_id, group_key) DO NOTHING RETURNING id)
                INSERT INTO notification_group_alerts (group_id, alert_id, notified_state)
                SELECT id, ?, ? FROM g RETURNING group_id""")) {
            st.setString(1, route.id());
            st.setString(2, key);
            st.setTimestamp(3, Timestamp.from(now));
            st.setTimestamp(4, Timestamp.from(now.plus(silenced ? SILENCE_RECHECK : route.repeatInterval())));
            st.setTimestamp(5, silenced ? null : Timestamp.from(now));
            st.setLong(6, alert.id());
            st.setString(7, silenced ? null : "firing");
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                if (!silenced) {
                    long groupId = rs.getLong(1);
                    NotificationMessage message = NotificationMessage.of("firing", key, Map.of(), List.of(alert), 0, now);
                    for (String channel : route.channels()) {
                        outbox.enqueue(c, channel, message, groupId, now);
                    }
                }
                return true;
            }
        }
    }

    /** Flushes every group that is due; called by the {@link RouteTicker}. */
    public int flushDue() {
        int total = 0;
        int n;
        do {
            n = transactions.executeWrite(status -> {
                Connection c = status.getConnection();
                Instant now = clock.instant();
                List<Group> due = new ArrayList<>();
                try (PreparedStatement st = c.prepareStatement("""
                        SELECT id, route_id, group_key, group_labels::text, flush_at, last_sent_at FROM notification_groups
                         WHERE flush_at <= ? ORDER BY flush_at LIMIT ? FOR UPDATE SKIP LOCKED""")) {
                    st.setTimestamp(1, Timestamp.from(now));
                    st.setInt(2, FLUSH_BATCH);
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            due.add(group(rs));
                        }
                    }
                }
                for (Group g : due) {
                    Route route = routing.route(g.routeId());
                    if (route == null) {
                        LOG.warn("notification group {} belongs to route {}, which the routing file no longer has; "
                                + "it is dropped", g.key(), g.routeId());
                        try (PreparedStatement st = c.prepareStatement("DELETE FROM notification_groups WHERE id = ?")) {
                            st.setLong(1, g.id());
                            st.executeUpdate();
                        }
                        continue;
                    }
                    flush(c, g, route, now);
                }
                return due.size();
            });
            total += n;
        } while (n == FLUSH_BATCH);
        return total;
    }

    private Group joinGroup(Connection c, Route route, Alert alert, Instant now) throws SQLException {
        String key = route.groupKey(alert.id(), alert.labels());
        Group g;
        boolean created;
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO notification_groups (route_id, group_key, group_labels, created_at, flush_at)
                VALUES (?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (route_id, group_key) DO UPDATE SET route_id = EXCLUDED.route_id
                RETURNING id, route_id, group_key, group_labels::text, flush_at, last_sent_at, (xmax = 0) AS created""")) {
            st.setString(1, route.id());
            st.setString(2, key);
            st.setString(3, rows.labelsJson(route.groupLabels(alert.labels())));
            st.setTimestamp(4, Timestamp.from(now));
            st.setTimestamp(5, Timestamp.from(now.plus(route.groupWait())));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                g = group(rs);
                created = rs.getBoolean("created");
            }
        }
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO notification_group_alerts (group_id, alert_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            st.setLong(1, g.id());
            st.setLong(2, alert.id());
            st.executeUpdate();
        }
        if (!created) {
            Instant flushAt = dueAfterChange(g, route, now);
            setFlushAt(c, g.id(), flushAt);
            g = new Group(g.id(), g.routeId(), g.key(), g.labels(), flushAt, g.lastSentAt());
        }
        return g;
    }

    /**
     * When a group that changed is next due: a group never notified keeps its group_wait; one
     * notified before waits group_interval after that; an earlier due time stays.
     */
    private static Instant dueAfterChange(Group g, @Nullable Route route, Instant now) {
        Instant desired;
        if (g.lastSentAt() == null) {
            desired = g.flushAt() != null ? g.flushAt() : now.plus(route == null ? Duration.ZERO : route.groupWait());
        } else {
            Instant afterInterval = g.lastSentAt().plus(route == null ? Duration.ZERO : route.groupInterval());
            desired = afterInterval.isAfter(now) ? afterInterval : now;
        }
        return g.flushAt() != null && g.flushAt().isBefore(desired) ? g.flushAt() : desired;
    }

    private void flush(Connection c, Group g, Route route, Instant now) throws SQLException {
        Map<Long, String> notified = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT alert_id, notified_state FROM notification_group_alerts WHERE group_id = ?")) {
            st.setLong(1, g.id());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    notified.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        List<Alert> members = rows.load(c, notified.keySet());
        Silences.Suppressions suppressions = silences.at(c, now);
        List<Alert> newFiring = new ArrayList<>();
        List<Alert> firing = new ArrayList<>();
        List<Alert> newResolved = new ArrayList<>();
        List<Long> drop = new ArrayList<>();
        boolean silencedWaiting = false;
        for (Alert a : members) {
            boolean silenced = suppressions.suppressed(a.labels());
            String was = notified.get(a.id());
            if (a.state() == AlertState.RESOLVED) {
                if ("firing".equals(was) && route.sendResolved() && !silenced) {
                    newResolved.add(a);
                }
                drop.add(a.id());
            } else if (a.state() == AlertState.FIRING) {
                if (silenced) {
                    silencedWaiting |= was == null;
                    continue;
                }
                firing.add(a);
                if (was == null) {
                    newFiring.add(a);
                }
            }
        }
        boolean repeatDue = g.lastSentAt() != null && !firing.isEmpty()
                && !now.isBefore(g.lastSentAt().plus(route.repeatInterval()));
        Instant lastSent = g.lastSentAt();
        if (!newFiring.isEmpty() || !newResolved.isEmpty() || repeatDue) {
            String kind = !newFiring.isEmpty() ? "firing" : !newResolved.isEmpty() ? "resolved" : "repeat";
            List<Alert> content = new ArrayList<>(firing);
            content.addAll(newResolved);
            NotificationMessage message = NotificationMessage.of(kind, g.key(), g.labels(), content, 0, now);
            for (String channel : route.channels()) {
                outbox.enqueue(c, channel, message, g.id(), now);
            }
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE notification_group_alerts SET notified_state = 'firing' WHERE group_id = ? AND alert_id = ANY(?)")) {
                st.setLong(1, g.id());
                st.setArray(2, c.createArrayOf("bigint", firing.stream().map(Alert::id).toArray()));
                st.executeUpdate();
            }
            lastSent = now;
        }
        if (!drop.isEmpty()) {
            try (PreparedStatement st = c.prepareStatement(
                    "DELETE FROM notification_group_alerts WHERE group_id = ? AND alert_id = ANY(?)")) {
                st.setLong(1, g.id());
                st.setArray(2, c.createArrayOf("bigint", drop.toArray()));
                st.executeUpdate();
            }
        }
        if (members.size() == drop.size()) {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM notification_groups WHERE id = ?")) {
                st.setLong(1, g.id());
                st.executeUpdate();
            }
            return;
        }
        Instant next = null;
        if (!firing.isEmpty() && lastSent != null) {
            next = lastSent.plus(route.repeatInterval());
        }
        if (silencedWaiting) {
            Instant recheck = now.plus(SILENCE_RECHECK);
            next = next == null || recheck.isBefore(next) ? recheck : next;
        }
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE notification_groups SET flush_at = ?, last_sent_at = ? WHERE id = ?")) {
            st.setTimestamp(1, next == null ? null : Timestamp.from(next));
            st.setTimestamp(2, lastSent == null ? null : Timestamp.from(lastSent));
            st.setLong(3, g.id());
            st.executeUpdate();
        }
    }

    private List<Group> groupsOf(Connection c, long alertId) throws SQLException {
        List<Group> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                SELECT g.id, g.route_id, g.group_key, g.group_labels::text, g.flush_at, g.last_sent_at
                  FROM notification_groups g JOIN notification_group_alerts m ON m.group_id = g.id
                 WHERE m.alert_id = ? ORDER BY g.id FOR UPDATE OF g""")) {
            st.setLong(1, alertId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(group(rs));
                }
            }
        }
        return out;
    }

    private static void setFlushAt(Connection c, long groupId, Instant flushAt) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE notification_groups SET flush_at = ? WHERE id = ?")) {
            st.setTimestamp(1, Timestamp.from(flushAt));
            st.setLong(2, groupId);
            st.executeUpdate();
        }
    }

    private Group group(ResultSet rs) throws SQLException {
        return new Group(rs.getLong("id"), rs.getString("route_id"), rs.getString("group_key"),
                rows.labels(rs.getString("group_labels")), AlertRows.instant(rs, "flush_at"),
                AlertRows.instant(rs, "last_sent_at"));
    }
}
