package io.vigil.server.errorlog;

import io.vigil.server.database.Sql;
import io.micronaut.core.annotation.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One change of a group, in {@code error_activity}: who resolved, reopened or assigned it, when,
 * and the note (a resolution note, the assignee, or why it reopened).
 *
 * @param actor  the caller's display name ({@code key:<name>}, {@code admin}), or the reporting
 *               source when a recurrence reopened the group
 * @param action {@code resolved}, {@code reopened} or {@code assigned}
 */
public record ErrorActivity(Instant at, String actor, String action, @Nullable String note) {

    static void insert(Connection c, long groupId, Instant at, String actor, String action, @Nullable String note)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO error_activity (group_id, at, actor, action, note) VALUES (?, ?, ?, ?, ?)")) {
            st.setLong(1, groupId);
            st.setObject(2, Sql.utc(at));
            st.setString(3, actor);
            st.setString(4, action);
            st.setString(5, note);
            st.executeUpdate();
        }
    }

    /** The changes of a group, oldest first. */
    static List<ErrorActivity> of(Connection c, long groupId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT at, actor, action, note FROM error_activity WHERE group_id = ? ORDER BY id")) {
            st.setLong(1, groupId);
            List<ErrorActivity> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new ErrorActivity(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
                            rs.getString(3), rs.getString(4)));
                }
            }
            return out;
        }
    }
}
