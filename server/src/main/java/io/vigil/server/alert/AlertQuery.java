package io.vigil.server.alert;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.event.Severity;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Reads alerts for the API: filtered pages, one alert with its events and audit trail. */
@Singleton
public class AlertQuery {

    /** A filter of {@code GET /api/v1/alerts}. Empty {@code states} means every state. */
    public record Filter(Set<AlertState> states, @Nullable Severity severityMin, @Nullable String ruleId,
                         List<LabelMatcher> matchers, int limit, @Nullable Long before) {
    }

    /** A page, newest first; {@code next} is the {@code before} of the next page, or {@code null}. */
    public record Page(List<Alert> alerts, @Nullable Long next) {
    }

    /** An event linked to an alert (the events that fired or repeated it). */
    public record LinkedEvent(UUID id, Instant time, @Nullable String host, @Nullable String plugin, String type,
                              Severity severity, String subject, String title, Map<String, Object> attributes) {
    }

    /** One line of an alert's audit trail. */
    public record Activity(Instant at, String actor, String action, @Nullable String comment) {
    }

    private static final int MAX_SCANNED_ROWS = 5000;
    private static final int MAX_EVENTS = 100;

    private final TransactionOperations<Connection> transactions;
    private final AlertRows rows;
    private final JsonMapper json;

    AlertQuery(TransactionOperations<Connection> transactions, JsonMapper json) {
        this.transactions = transactions;
        this.rows = new AlertRows(json);
        this.json = json;
    }

    public Page find(Filter f) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            Connection c = status.getConnection();
            StringBuilder sql = new StringBuilder("SELECT " + AlertRows.COLUMNS + " FROM alerts WHERE true");
            List<Object> args = new ArrayList<>();
            if (!f.states().isEmpty()) {
                sql.append(" AND state = ANY(?)");
                args.add(c.createArrayOf("text", f.states().stream().map(AlertState::wireName).toArray()));
            }
            if (f.severityMin() != null) {
                sql.append(" AND severity >= ?");
                args.add(f.severityMin().code());
            }
            if (f.ruleId() != null) {
                sql.append(" AND rule_id = ?");
                args.add(f.ruleId());
            }
            sql.append(" AND id < ? ORDER BY id DESC LIMIT ?");
            // label matchers are applied here, so read in chunks until the page is full
            List<Alert> page = new ArrayList<>();
            long cursor = f.before() == null ? Long.MAX_VALUE : f.before();
            int chunk = f.matchers().isEmpty() ? f.limit() + 1 : Math.max(100, f.limit() * 2);
            int scanned = 0;
            while (page.size() <= f.limit() && scanned < MAX_SCANNED_ROWS) {
                List<Alert> batch = new ArrayList<>();
                try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                    int i = 1;
                    for (Object a : args) {
                        st.setObject(i++, a);
                    }
                    st.setLong(i++, cursor);
                    st.setInt(i, chunk);
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            batch.add(rows.read(rs));
                        }
                    }
                }
                scanned += batch.size();
                for (Alert a : batch) {
                    cursor = a.id();
                    if (LabelMatcher.all(f.matchers(), a.labels())) {
                        page.add(a);
                        if (page.size() > f.limit()) {
                            break;
                        }
                    }
                }
                if (batch.size() < chunk) {
                    break;
                }
            }
            if (page.size() > f.limit()) {
                List<Alert> shown = page.subList(0, f.limit());
                return new Page(List.copyOf(shown), shown.get(shown.size() - 1).id());
            }
            return new Page(page, null);
        }));
    }

    public Optional<Alert> find(long id) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "SELECT " + AlertRows.COLUMNS + " FROM alerts WHERE id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(rows.read(rs)) : Optional.<Alert>empty();
                }
            }
        }));
    }

    /** The latest events linked to an alert (at most 100), newest first. */
    public List<LinkedEvent> events(long alertId) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            // joined on (id, time): the events table is keyed, and partitioned, by both
            try (PreparedStatement st = status.getConnection().prepareStatement("""
                    SELECT e.id, e.time, e.host, e.plugin, e.type, e.severity, e.subject, e.title,
                           e.attributes::text AS attributes
                      FROM alert_events ae JOIN events e ON e.id = ae.event_id AND e.time = ae.event_time
                     WHERE ae.alert_id = ? ORDER BY ae.event_time DESC, ae.event_id DESC LIMIT ?""")) {
                st.setLong(1, alertId);
                st.setInt(2, MAX_EVENTS);
                List<LinkedEvent> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LinkedEvent(rs.getObject("id", UUID.class), AlertRows.instant(rs, "time"),
                                rs.getString("host"), rs.getString("plugin"), rs.getString("type"),
                                Severity.fromCode(rs.getShort("severity")), rs.getString("subject"),
                                rs.getString("title"), attributes(rs.getString("attributes"))));
                    }
                }
                return out;
            }
        }));
    }

    /** The audit trail of an alert, oldest first. */
    public List<Activity> activity(long alertId) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "SELECT at, actor, action, comment FROM alert_activity WHERE alert_id = ? ORDER BY id")) {
                st.setLong(1, alertId);
                List<Activity> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Activity(AlertRows.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                                rs.getString("comment")));
                    }
                }
                return out;
            }
        }));
    }

    /** The open alerts of the given rules, as (rule id, fingerprint) keys; for the rule evaluators. */
    public Set<String> openKeys(String ruleKind) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "SELECT rule_id, fingerprint FROM alerts WHERE state <> 'resolved' AND rule_kind = ?")) {
                st.setString(1, ruleKind);
                Set<String> out = new java.util.HashSet<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(key(rs.getString(1), rs.getString(2)));
                    }
                }
                return out;
            }
        }));
    }

    /** The key {@link #openKeys} uses for a (rule, fingerprint). */
    public static String key(String ruleId, String fingerprint) {
        return ruleId + '\u0000' + fingerprint;
    }

    private Map<String, Object> attributes(String text) {
        try {
            return json.readValue(text, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
