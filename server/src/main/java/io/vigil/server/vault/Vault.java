package io.vigil.server.vault;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.crypto.Keyring;
import io.vigil.server.crypto.NamedSecrets;
import io.vigil.server.crypto.Secret;
import io.vigil.server.database.DatabaseFailures;
import io.vigil.server.event.NewEvent;
import io.vigil.server.event.ServerEvents;
import io.vigil.server.event.Severity;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

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
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The credential vault: secrets the server uses, stored in {@code secrets} encrypted with the
 * {@link Keyring} (each value bound to its secret's name), with who created and rotated them, when
 * they expire, and how often they were used. Every change and every read is audited
 * ({@link SecretAudit}); no value ever leaves except through {@link Secret#reveal()} to the code
 * that puts it on the wire.
 *
 * <p>Consumers: notification channels reference {@code ${vault:name}} in the routing file and read
 * {@link #current} at each send (a rotation takes effect at the next send; signing a webhook uses
 * the current value). Code that <em>verifies</em> something signed or presented by others with a
 * vault secret uses {@link #validValues}, which also accepts the previous value during the
 * rotation's grace period, so that peers have time to switch.
 */
@Singleton
public class Vault implements NamedSecrets {

    /** What a secret name may be. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** The event a rotation emits (it resolves the expiry alerts of the secret). */
    static final String ROTATED_EVENT = "server.secret.rotated";

    private final TransactionOperations<Connection> transactions;
    private final Keyring keys;
    private final ServerEvents events;
    private final SecretAudit audit;
    private final Clock clock;

    @Inject
    Vault(TransactionOperations<Connection> transactions, Keyring keys, ServerEvents events,
          @Value("${vigil.vault.read-audit-interval:1m}") Duration readAuditInterval) {
        this(transactions, keys, events, readAuditInterval, Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000)));
    }

    Vault(TransactionOperations<Connection> transactions, Keyring keys, ServerEvents events,
          Duration readAuditInterval, Clock clock) {
        this.transactions = transactions;
        this.keys = keys;
        this.events = events;
        this.audit = new SecretAudit(readAuditInterval);
        this.clock = clock;
    }

    /**
     * The alert key of a secret's events (expiring, expired, rotated): one for all three, so that
     * a rotation resolves the expiry alerts (default-rules.yml).
     */
    static String fingerprint(String name) {
        return "server:vault-secret:" + name;
    }

    /** The encryption context of a secret's value: a ciphertext only decrypts for its own name. */
    static String context(String name) {
        return "secret:" + name;
    }

    /**
     * Stores a new secret.
     *
     * @throws SecretExistsException when the name is taken
     */
    public SecretMetadata create(String name, SecretType type, String value, @Nullable Instant expiresAt,
                                 String actor) {
        Instant now = clock.instant();
        String ciphertext = keys.encrypt(context(name), value);
        return write(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO secrets (name, type, ciphertext, key_id, "
                    + "created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING "
                    + "RETURNING " + SecretMetadata.COLUMNS)) {
                st.setString(1, name);
                st.setString(2, type.wireName());
                st.setString(3, ciphertext);
                st.setString(4, keys.activeKeyId());
                st.setTimestamp(5, Timestamp.from(now));
                st.setString(6, actor);
                st.setTimestamp(7, expiresAt == null ? null : Timestamp.from(expiresAt));
                SecretMetadata created = one(st).orElseThrow(() -> new SecretExistsException(name));
                SecretAudit.write(c, now, name, SecretAudit.CREATED, actor, "type " + type.wireName() + ", key "
                        + keys.activeKeyId() + (expiresAt == null ? "" : ", expires " + expiresAt));
                return created;
            }
        });
    }

    /** Every secret, by name; no values. */
    public List<SecretMetadata> list() {
        return read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + SecretMetadata.COLUMNS
                    + " FROM secrets ORDER BY name")) {
                List<SecretMetadata> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(SecretMetadata.read(rs));
                    }
                }
                return out;
            }
        });
    }

    /** One secret's metadata. */
    public Optional<SecretMetadata> find(String name) {
        return read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + SecretMetadata.COLUMNS
                    + " FROM secrets WHERE name = ?")) {
                st.setString(1, name);
                return one(st);
            }
        });
    }

    @Override
    public boolean exists(String name) {
        return find(name).isPresent();
    }

    /**
     * Replaces the value; the previous value stays valid (for {@link #validValues}) for {@code grace}.
     *
     * @param expiresAt the new value's expiry; null keeps the current one
     * @throws SecretNotFoundException when there is no such secret
     */
    public SecretMetadata rotate(String name, String value, Duration grace, @Nullable Instant expiresAt,
                                 String actor) {
        Instant now = clock.instant();
        Instant validUntil = now.plus(grace);
        String ciphertext = keys.encrypt(context(name), value);
        record Rotated(SecretMetadata secret, NewEvent event) {
        }
        Rotated done = write(c -> {
            SecretMetadata rotated;
            // the expiry notices are re-armed: a secret still expiring soon after this is warned about again
            try (PreparedStatement st = c.prepareStatement("UPDATE secrets SET previous_ciphertext = ciphertext, "
                    + "previous_key_id = key_id, previous_valid_until = ?, ciphertext = ?, key_id = ?, rotated_at = ?, "
                    + "rotated_by = ?, expires_at = COALESCE(?, expires_at), expiring_notified_for = NULL, "
                    + "expired_notified_for = NULL WHERE name = ? RETURNING " + SecretMetadata.COLUMNS)) {
                st.setTimestamp(1, Timestamp.from(validUntil));
                st.setString(2, ciphertext);
                st.setString(3, keys.activeKeyId());
                st.setTimestamp(4, Timestamp.from(now));
                st.setString(5, actor);
                st.setTimestamp(6, expiresAt == null ? null : Timestamp.from(expiresAt));
                st.setString(7, name);
                rotated = one(st).orElseThrow(() -> new SecretNotFoundException(name));
            }
            SecretAudit.write(c, now, name, SecretAudit.ROTATED, actor, "previous value valid until " + validUntil
                    + ", key " + keys.activeKeyId() + (expiresAt == null ? "" : ", expires " + expiresAt));
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("secret", name);
            attributes.put("secret_type", rotated.type());
            attributes.put("rotated_by", actor);
            attributes.put("previous_valid_until", validUntil.toString());
            NewEvent event = events.emitIn(c, new ServerEvents.Emission("vault", ROTATED_EVENT, Severity.INFO, name,
                    "secret " + name + " rotated by " + actor, attributes, fingerprint(name), null));
            return new Rotated(rotated, event);
        });
        events.published(done.event());
        return done.secret();
    }

    /** Deletes a secret (its audit stays). @return whether there was one */
    public boolean delete(String name, String actor) {
        Instant now = clock.instant();
        boolean deleted = write(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM secrets WHERE name = ?")) {
                st.setString(1, name);
                if (st.executeUpdate() == 0) {
                    return false;
                }
            }
            SecretAudit.write(c, now, name, SecretAudit.DELETED, actor, null);
            return true;
        });
        if (deleted) {
            audit.forget(name);
        }
        return deleted;
    }

    /**
     * The current value of {@code name}, for {@code caller} to use now: counted in
     * {@code usage_count} and {@code last_used_at}, and audited (see {@link SecretAudit}).
     *
     * @throws SecretNotFoundException when there is no such secret (any more)
     * @throws IllegalStateException   when it does not decrypt with this server's keys; the message
     *                                 names the secret and the key id, never the value
     */
    public Secret current(String name, String caller) {
        return use(name, caller).get(0);
    }

    /**
     * The values that are valid now: the current one, then the previous one while its grace period
     * lasts. For verifying what others sign or present; counted and audited like {@link #current}.
     */
    public List<Secret> validValues(String name, String caller) {
        return use(name, caller);
    }

    @Override
    public Secret atUse(String name, String caller) {
        return Secret.atUse(() -> current(name, caller).reveal());
    }

    /** Moves every value to the active key ({@link Reencryption}), in one transaction. */
    Reencryption.Result reencrypt(String actor) {
        Instant now = clock.instant();
        return write(c -> Reencryption.run(c, keys, actor, now));
    }

    /** All audit rows (of {@code name} when not null), newest first, ids below {@code before}. */
    public List<AuditEntry> audit(@Nullable String name, @Nullable Long before, int limit) {
        return read(c -> SecretAudit.list(c, name, before, limit));
    }

    private List<Secret> use(String name, String caller) {
        Instant now = clock.instant();
        List<String> valid = write(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE secrets SET usage_count = usage_count + 1, "
                    + "last_used_at = ? WHERE name = ? RETURNING ciphertext, previous_ciphertext, previous_valid_until, "
                    + "usage_count")) {
                st.setTimestamp(1, Timestamp.from(now));
                st.setString(2, name);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new SecretNotFoundException(name);
                    }
                    List<String> values = new ArrayList<>(2);
                    values.add(rs.getString(1));
                    Instant previousUntil = SecretMetadata.instant(rs, "previous_valid_until");
                    if (rs.getString(2) != null && previousUntil != null && now.isBefore(previousUntil)) {
                        values.add(rs.getString(2));
                    }
                    audit.read(c, now, name, caller, rs.getLong(4));
                    return values;
                }
            }
        });
        List<Secret> out = new ArrayList<>(valid.size());
        for (String ciphertext : valid) {
            try {
                out.add(keys.decrypt(context(name), ciphertext));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the vault secret \"" + name + "\" cannot be read: " + e.getMessage());
            }
        }
        return out;
    }

    private static Optional<SecretMetadata> one(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(SecretMetadata.read(rs)) : Optional.empty();
        }
    }

    /** Work on one connection. */
    interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T write(Work<T> work) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeWrite(s -> work.on(s.getConnection())));
    }

    private <T> T read(Work<T> work) {
        return DatabaseFailures.unlessUnavailable(() -> transactions.executeRead(s -> work.on(s.getConnection())));
    }

    /** There is already a secret of this name. */
    public static final class SecretExistsException extends RuntimeException {
        SecretExistsException(String name) {
            super("a secret named \"" + name + "\" already exists: rotate it (POST /api/v1/secrets/" + name
                    + "/rotate) or choose another name");
        }
    }

    /** There is no secret of this name. */
    public static final class SecretNotFoundException extends RuntimeException {
        SecretNotFoundException(String name) {
            super("there is no vault secret named \"" + name + "\"");
        }
    }
}
