package io.vigil.server.vault;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.event.NewEvent;
import io.vigil.server.event.ServerEvents;
import io.vigil.server.event.Severity;
import jakarta.inject.Inject;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warns about vault secrets before and when they expire: every {@code vigil.vault.expiry-check-interval}
 * (1 h) it emits, through {@link ServerEvents}, {@code server.secret.expiring} (severity medium) for
 * each secret expiring within {@code vigil.vault.expiry-warning} (7 d) and {@code server.secret.expired}
 * (high) for each expired one. Each is emitted once per secret and expiry date: the run claims the
 * secret with an {@code UPDATE ... SET expiring_notified_for = expires_at} in the transaction that
 * stores the event, so a restart or a second replica running the same check does not repeat it
 * (the row lock makes the second replica wait and then find nothing to claim). Rotating with a new
 * {@code expires_at} re-arms both.
 */
@Singleton
@Requires(property = "vigil.vault.expiry-check-enabled", notEquals = "false")
public class SecretExpiryCheck {

    static final String EXPIRING = "server.secret.expiring";
    static final String EXPIRED = "server.secret.expired";

    private static final Logger LOG = LoggerFactory.getLogger(SecretExpiryCheck.class);

    private final TransactionOperations<Connection> transactions;
    private final ServerEvents events;
    private final Duration warning;
    private final Clock clock;

    @Inject
    SecretExpiryCheck(TransactionOperations<Connection> transactions, ServerEvents events,
                      @Value("${vigil.vault.expiry-warning:7d}") Duration warning) {
        this(transactions, events, warning, Clock.systemUTC());
    }

    SecretExpiryCheck(TransactionOperations<Connection> transactions, ServerEvents events, Duration warning,
                      Clock clock) {
        this.transactions = transactions;
        this.events = events;
        this.warning = warning;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${vigil.vault.expiry-check-interval:1h}", initialDelay = "1m")
    void scheduled() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("the vault expiry check failed ({}): it runs again in vigil.vault.expiry-check-interval",
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** One run. @return the events emitted */
    public List<NewEvent> check() {
        Instant now = clock.instant();
        List<NewEvent> emitted = DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<NewEvent> out = new ArrayList<>();
            for (Claimed s : claim(c, "expiring_notified_for", "expires_at > ? AND expires_at <= ?", now, now.plus(warning))) {
                Duration left = Duration.between(now, s.expiresAt());
                out.add(emit(c, s, EXPIRING, Severity.MEDIUM, "secret " + s.name() + " expires in "
                        + left.toHours() + " h (" + s.expiresAt() + "): rotate it", SecretAudit.EXPIRING_NOTIFIED, now));
            }
            for (Claimed s : claim(c, "expired_notified_for", "expires_at <= ?", now)) {
                out.add(emit(c, s, EXPIRED, Severity.HIGH, "secret " + s.name() + " expired at " + s.expiresAt()
                        + ": rotate it", SecretAudit.EXPIRED_NOTIFIED, now));
            }
            return out;
        }));
        emitted.forEach(events::published);
        return emitted;
    }

    private record Claimed(String name, String type, Instant expiresAt) {
    }

    /** Marks the secrets matching {@code condition} as notified for their current expiry date. */
    private static List<Claimed> claim(Connection c, String column, String condition, Instant... bounds)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE secrets SET " + column + " = expires_at "
                + "WHERE expires_at IS NOT NULL AND " + condition + " AND " + column
                + " IS DISTINCT FROM expires_at RETURNING name, type, expires_at")) {
            for (int i = 0; i < bounds.length; i++) {
                st.setTimestamp(i + 1, Timestamp.from(bounds[i]));
            }
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
            out.sort(java.util.Comparator.comparing(Claimed::name));
            return out;
        }
    }

    private NewEvent emit(Connection c, Claimed s, String type, Severity severity, String title, String action,
                          Instant now) throws SQLException {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("secret", s.name());
        attributes.put("secret_type", s.type());
        attributes.put("expires_at", s.expiresAt().toString());
        NewEvent event = events.emitIn(c, new ServerEvents.Emission("vault", type, severity, s.name(), title, attributes,
                Vault.fingerprint(s.name()), null));
        SecretAudit.write(c, now, s.name(), action, "server", "expires " + s.expiresAt());
        return event;
    }
}
