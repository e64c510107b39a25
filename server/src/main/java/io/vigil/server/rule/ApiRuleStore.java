package io.vigil.server.rule;

import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The rules created through the API: table {@code alert_rules}, one JSON definition per rule. */
@Singleton
class ApiRuleStore {

    /** A stored rule. */
    record Row(String id, String definition, Instant updatedAt) {
    }

    /** What changes when any API rule changes: compared on every evaluation tick. */
    record Revision(long count, Instant lastUpdate) {
    }

    private final TransactionOperations<Connection> transactions;

    ApiRuleStore(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    List<Row> all() {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "SELECT id, definition::text, updated_at FROM alert_rules ORDER BY id");
                 ResultSet rs = st.executeQuery()) {
                List<Row> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
                return out;
            }
        }));
    }

    Revision revision() {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "SELECT count(*), COALESCE(max(updated_at), 'epoch') FROM alert_rules");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Revision(rs.getLong(1), rs.getTimestamp(2).toInstant());
            }
        }));
    }

    /** @return false when a rule with this id exists */
    boolean insert(String id, String definitionJson, String actor, Instant now) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement("""
                    INSERT INTO alert_rules (id, definition, created_at, created_by, updated_at, updated_by)
                    VALUES (?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")) {
                st.setString(1, id);
                st.setString(2, definitionJson);
                st.setTimestamp(3, Timestamp.from(now));
                st.setString(4, actor);
                st.setTimestamp(5, Timestamp.from(now));
                st.setString(6, actor);
                return st.executeUpdate() == 1;
            }
        }));
    }

    /** @return false when there is no such rule */
    boolean update(String id, String definitionJson, String actor, Instant now) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement(
                    "UPDATE alert_rules SET definition = ?::jsonb, updated_at = ?, updated_by = ? WHERE id = ?")) {
                st.setString(1, definitionJson);
                st.setTimestamp(2, Timestamp.from(now));
                st.setString(3, actor);
                st.setString(4, id);
                return st.executeUpdate() == 1;
            }
        }));
    }

    boolean delete(String id) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement("DELETE FROM alert_rules WHERE id = ?")) {
                st.setString(1, id);
                return st.executeUpdate() == 1;
            }
        }));
    }
}
