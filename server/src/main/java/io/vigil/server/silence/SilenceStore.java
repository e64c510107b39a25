package io.vigil.server.silence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The table {@code silences}. */
@Singleton
class SilenceStore {

    private static final String COLUMNS = "id, matchers::text AS matchers, starts_at, ends_at, comment, created_by, "
            + "created_at, updated_by, updated_at";

    private final TransactionOperations<Connection> transactions;
    private final JsonMapper json;

    SilenceStore(TransactionOperations<Connection> transactions, JsonMapper json) {
        this.transactions = transactions;
        this.json = json;
    }

    /** Silences active at some moment of [from, until). */
    List<Silence> overlapping(Connection c, Instant from, Instant until) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS
                + " FROM silences WHERE starts_at < ? AND ends_at > ? ORDER BY id")) {
            st.setTimestamp(1, Timestamp.from(until));
            st.setTimestamp(2, Timestamp.from(from));
            return read(st);
        }
    }

    /** Silences whose end is after {@code endedAfter} (all when null), newest first. */
    List<Silence> list(@Nullable Instant endedAfter, int limit) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement("SELECT " + COLUMNS
                    + " FROM silences WHERE ends_at > ? ORDER BY id DESC LIMIT ?")) {
                st.setTimestamp(1, Timestamp.from(endedAfter == null ? Instant.EPOCH : endedAfter));
                st.setInt(2, limit);
                return read(st);
            }
        }));
    }

    Optional<Silence> find(long id) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement("SELECT " + COLUMNS
                    + " FROM silences WHERE id = ?")) {
                st.setLong(1, id);
                return read(st).stream().findFirst();
            }
        }));
    }

    Silence create(List<String> matchers, Instant startsAt, Instant endsAt, String comment, String actor, Instant now) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement("""
                    INSERT INTO silences (matchers, starts_at, ends_at, comment, created_by, created_at)
                    VALUES (?::jsonb, ?, ?, ?, ?, ?) RETURNING\s""" + COLUMNS)) {
                st.setString(1, write(matchers));
                st.setTimestamp(2, Timestamp.from(startsAt));
                st.setTimestamp(3, Timestamp.from(endsAt));
                st.setString(4, comment);
                st.setString(5, actor);
                st.setTimestamp(6, Timestamp.from(now));
                return read(st).get(0);
            }
        }));
    }

    Optional<Silence> update(long id, List<String> matchers, Instant startsAt, Instant endsAt, String comment,
                             String actor, Instant now) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement("""
                    UPDATE silences SET matchers = ?::jsonb, starts_at = ?, ends_at = ?, comment = ?, updated_by = ?,
                                        updated_at = ?
                     WHERE id = ? RETURNING\s""" + COLUMNS)) {
                st.setString(1, write(matchers));
                st.setTimestamp(2, Timestamp.from(startsAt));
                st.setTimestamp(3, Timestamp.from(endsAt));
                st.setString(4, comment);
                st.setString(5, actor);
                st.setTimestamp(6, Timestamp.from(now));
                st.setLong(7, id);
                return read(st).stream().findFirst();
            }
        }));
    }

    /** Ends a silence now (kept for the record). */
    Optional<Silence> expire(long id, String actor, Instant now) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(status -> {
            try (PreparedStatement st = status.getConnection().prepareStatement("""
                    UPDATE silences SET ends_at = GREATEST(starts_at + interval '1 microsecond', LEAST(ends_at, ?)),
                                        updated_by = ?, updated_at = ?
                     WHERE id = ? RETURNING\s""" + COLUMNS)) {
                st.setTimestamp(1, Timestamp.from(now));
                st.setString(2, actor);
                st.setTimestamp(3, Timestamp.from(now));
                st.setLong(4, id);
                return read(st).stream().findFirst();
            }
        }));
    }

    private List<Silence> read(PreparedStatement st) throws SQLException {
        List<Silence> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                Timestamp updated = rs.getTimestamp("updated_at");
                out.add(new Silence(rs.getLong("id"), matchers(rs.getString("matchers")),
                        rs.getTimestamp("starts_at").toInstant(), rs.getTimestamp("ends_at").toInstant(),
                        rs.getString("comment"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                        rs.getString("updated_by"), updated == null ? null : updated.toInstant()));
            }
        }
        return out;
    }

    private List<String> matchers(String text) {
        try {
            return json.readValue(text, Argument.listOf(String.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(List<String> matchers) {
        try {
            return json.writeValueAsString(matchers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
