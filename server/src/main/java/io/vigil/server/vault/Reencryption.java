package io.vigil.server.vault;

import io.vigil.server.crypto.Keyring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves every vault value (current and previous) that is not under the active key to the active
 * key, in the caller's transaction, one audit row per secret. Run after adding a new active key
 * ({@code java -jar vigil-server.jar vault reencrypt}, {@link VaultCommand}, or
 * {@code POST /api/v1/secrets/reencrypt}); afterwards no row needs the older keys, which can then
 * be removed from the key file.
 */
final class Reencryption {

    private Reencryption() {
    }

    /** What a run did. @param secrets how many secrets were rewritten, @param values how many values */
    record Result(int secrets, int values, String keyId) {
    }

    /**
     * Re-encrypts on {@code c}, which must be in a transaction: a value that does not decrypt aborts
     * the run (the exception names the secret and key id), so nothing is half done.
     */
    static Result run(Connection c, Keyring keys, String actor, Instant now) throws SQLException {
        String active = keys.activeKeyId();
        record Row(String name, String ciphertext, String keyId, String previous, String previousKeyId) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT name, ciphertext, key_id, previous_ciphertext, "
                + "previous_key_id FROM secrets WHERE key_id <> ? OR (previous_ciphertext IS NOT NULL AND "
                + "previous_key_id <> ?) ORDER BY name FOR UPDATE")) {
            st.setString(1, active);
            st.setString(2, active);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        int values = 0;
        for (Row r : rows) {
            String context = Vault.context(r.name());
            String current = again(keys, context, r.name(), r.ciphertext());
            String previous = r.previous() == null ? null : again(keys, context, r.name(), r.previous());
            try (PreparedStatement st = c.prepareStatement("UPDATE secrets SET ciphertext = ?, key_id = ?, "
                    + "previous_ciphertext = ?, previous_key_id = CASE WHEN previous_ciphertext IS NULL THEN NULL "
                    + "ELSE ? END WHERE name = ?")) {
                st.setString(1, current);
                st.setString(2, active);
                st.setString(3, previous);
                st.setString(4, active);
                st.setString(5, r.name());
                st.executeUpdate();
            }
            values += previous == null ? 1 : 2;
            SecretAudit.write(c, now, r.name(), SecretAudit.REENCRYPTED, actor, "key " + r.keyId()
                    + (r.previous() == null ? "" : ", previous value key " + r.previousKeyId()) + " -> " + active);
        }
        return new Result(rows.size(), values, active);
    }

    private static String again(Keyring keys, String context, String name, String ciphertext) {
        try {
            return keys.encrypt(context, keys.decrypt(context, ciphertext).reveal());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot re-encrypt the vault secret \"" + name + "\": " + e.getMessage()
                    + "; nothing was changed");
        }
    }
}
