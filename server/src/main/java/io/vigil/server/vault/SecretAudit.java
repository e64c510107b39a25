package io.vigil.server.vault;

import io.micronaut.core.annotation.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The table {@code secret_audit}. Every change is one row, in the transaction of the change.
 * Reads can be frequent (every notification sent through a channel), so a read is written at most
 * once per secret and caller per {@code readInterval} (the first read of each interval); the exact
 * number of reads is {@code secrets.usage_count}, which every read increments, and each read row
 * quotes it. The throttle is per server process: after a restart the next read is audited again.
 */
final class SecretAudit {

    /** The actions of {@code secret_audit.action}. */
    static final String CREATED = "created";
    static final String READ = "read";
    static final String ROTATED = "rotated";
    static final String DELETED = "deleted";
    static final String REENCRYPTED = "reencrypted";
    static final String EXPIRING_NOTIFIED = "expiring_notified";
    static final String EXPIRED_NOTIFIED = "expired_notified";

    private final Duration readInterval;
    private final Map<String, Instant> lastReadAudited = new ConcurrentHashMap<>();

    SecretAudit(Duration readInterval) {
        this.readInterval = readInterval;
    }

    /** Writes one row on {@code c}. {@code detail} must never contain a value. */
    static void write(Connection c, Instant time, String secret, String action, String actor, @Nullable String detail)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO secret_audit (time, secret_name, action, actor, detail) VALUES (?, ?, ?, ?, ?)")) {
            st.setTimestamp(1, Timestamp.from(time));
            st.setString(2, secret);
            st.setString(3, action);
            st.setString(4, actor);
            st.setString(5, detail);
            st.executeUpdate();
        }
    }

    /** Audits a read when this caller's last audited read of this secret is older than the interval. */
    void read(Connection c, Instant time, String secret, String caller, long usageCount) throws SQLException {
        String key = secret + '\n' + caller;
        boolean[] due = {false};
        lastReadAudited.compute(key, (k, last) -> {
            if (last == null || !time.isBefore(last.plus(readInterval))) {
                due[0] = true;
                return time;
            }
            return last;
        });
        if (due[0]) {
            write(c, time, secret, READ, caller, "usage_count " + usageCount + "; further reads by " + caller
                    + " within " + readInterval.toSeconds() + "s are counted, not audited");
        }
    }

    /** Forgets the throttle of a deleted secret, so a new secret of the same name starts afresh. */
    void forget(String secret) {
        lastReadAudited.keySet().removeIf(k -> k.startsWith(secret + '\n'));
    }

    /** Rows newest first, of one secret or of all ({@code secret} null), with id below {@code before}. */
    static List<AuditEntry> list(Connection c, @Nullable String secret, @Nullable Long before, int limit)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id, time, secret_name, action, actor, detail "
                + "FROM secret_audit WHERE (?::text IS NULL OR secret_name = ?) AND id < ? ORDER BY id DESC LIMIT ?")) {
            st.setString(1, secret);
            st.setString(2, secret);
            st.setLong(3, before == null ? Long.MAX_VALUE : before);
            st.setInt(4, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
            return out;
        }
    }
}
