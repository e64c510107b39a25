package io.vigil.server.errorlog;

import io.micronaut.core.annotation.Nullable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** One row of {@code error_groups}: an error and every occurrence of it from one source. */
public record ErrorGroup(long id, String source, String fingerprint, String component, ErrorSeverity severity,
                         String message, @Nullable String exceptionType, @Nullable String stack, Instant firstSeen,
                         Instant lastSeen, long occurrences, String status, @Nullable String resolvedBy,
                         @Nullable Instant resolvedAt, @Nullable String resolutionNote, @Nullable String assignee,
                         int reopenCount, @Nullable Instant lastReopenedAt) {

    /** The columns {@link #read} expects, in a SELECT list. */
    static final String COLUMNS = "id, source, fingerprint, component, severity, message, exception_type, stack, "
            + "first_seen, last_seen, occurrences, status, resolved_by, resolved_at, resolution_note, assignee, "
            + "reopen_count, last_reopened_at";

    static ErrorGroup read(ResultSet rs) throws SQLException {
        return new ErrorGroup(rs.getLong("id"), rs.getString("source"), rs.getString("fingerprint"),
                rs.getString("component"), ErrorSeverity.fromCode(rs.getShort("severity")), rs.getString("message"),
                rs.getString("exception_type"), rs.getString("stack"), time(rs, "first_seen"), time(rs, "last_seen"),
                rs.getLong("occurrences"), rs.getString("status"), rs.getString("resolved_by"),
                time(rs, "resolved_at"), rs.getString("resolution_note"), rs.getString("assignee"),
                rs.getInt("reopen_count"), time(rs, "last_reopened_at"));
    }

    private static @Nullable Instant time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
