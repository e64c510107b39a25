package io.vigil.server.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.auth.Access;
import io.vigil.server.auth.Role;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.error.ApiError;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/notifications}: the outbox and its delivery log, for viewers: what was sent where,
 * how often it was tried, and why it failed.
 */
@Controller("/api/v1/notifications")
@ExecuteOn(TaskExecutors.BLOCKING)
class NotificationController {

    private static final String COLUMNS = "id, created_at, channel, channel_type, kind, alert_ids, title, state, attempts, "
            + "next_attempt_at, delivered_at, last_error";
    private static final List<String> STATES = List.of("pending", "sending", "delivered", "failed");

    private final TransactionOperations<Connection> transactions;

    NotificationController(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> list(@Nullable @QueryValue("alert_id") Long alertId, @Nullable @QueryValue String state,
                         @Nullable @QueryValue Integer limit) {
        if (state != null && !STATES.contains(state)) {
            return HttpResponse.badRequest(ApiError.of("state: expected one of " + String.join(", ", STATES)
                    + ", got \"" + state + "\""));
        }
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 500) {
            return HttpResponse.badRequest(ApiError.of("limit: expected 1 to 500"));
        }
        List<NotificationView> out = DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM notifications WHERE true");
            if (alertId != null) {
                sql.append(" AND ? = ANY(alert_ids)");
            }
            if (state != null) {
                sql.append(" AND state = ?");
            }
            sql.append(" ORDER BY id DESC LIMIT ?");
            try (PreparedStatement st = status.getConnection().prepareStatement(sql.toString())) {
                int i = 1;
                if (alertId != null) {
                    st.setLong(i++, alertId);
                }
                if (state != null) {
                    st.setString(i++, state);
                }
                st.setInt(i, n);
                List<NotificationView> views = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        views.add(view(rs, List.of()));
                    }
                }
                return views;
            }
        }));
        return HttpResponse.ok(new NotificationList(out));
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    @Access(Role.VIEWER)
    HttpResponse<?> get(@PathVariable long id) {
        Optional<NotificationView> found = DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            Connection c = status.getConnection();
            List<AttemptView> attempts = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT attempt, started_at, latency_ms, outcome, http_status, error FROM notification_attempts
                     WHERE notification_id = ? ORDER BY id""")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        int http = rs.getInt(5);
                        attempts.add(new AttemptView(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getDouble(3),
                                rs.getString(4), rs.wasNull() ? null : http, rs.getString(6)));
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM notifications WHERE id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(view(rs, attempts)) : Optional.<NotificationView>empty();
                }
            }
        }));
        return found.<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> HttpResponse.notFound(ApiError.of("no notification with id " + id)));
    }

    private static NotificationView view(ResultSet rs, List<AttemptView> attempts) throws SQLException {
        Array ids = rs.getArray("alert_ids");
        List<Long> alertIds = ids == null ? List.of()
                : Arrays.stream((Long[]) ids.getArray()).toList();
        return new NotificationView(rs.getLong("id"), instant(rs, "created_at"), rs.getString("channel"),
                rs.getString("channel_type"), rs.getString("kind"), alertIds, rs.getString("title"),
                rs.getString("state"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                instant(rs, "delivered_at"), rs.getString("last_error"), attempts);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    @Serdeable
    record NotificationList(List<NotificationView> notifications) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record NotificationView(long id, Instant createdAt, String channel, String channelType, String kind,
                            List<Long> alertIds, String title, String state, int attempts,
                            @Nullable Instant nextAttemptAt, @Nullable Instant deliveredAt, @Nullable String lastError,
                            List<AttemptView> attemptLog) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AttemptView(int attempt, Instant startedAt, double latencyMs, String outcome, @Nullable Integer httpStatus,
                       @Nullable String error) {
    }
}
