package io.vigil.server.vault;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.vigil.server.crypto.Keyring;
import io.vigil.server.crypto.KeyringLoader;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;

/**
 * {@code java -jar vigil-server.jar vault reencrypt [--key=value ...]}: re-encrypts every vault value
 * under the active key, in one transaction, without starting the server (a running server may stay
 * up: it reads each value at use). It reads the same settings as the server (application.yml,
 * environment, {@code --name=value} arguments): the database ({@code VIGIL_DB_URL},
 * {@code VIGIL_DB_USER}, {@code VIGIL_DB_PASSWORD}) and the keys ({@code VIGIL_VAULT_KEY_FILE} or
 * {@code VIGIL_VAULT_KEY} / {@code VIGIL_VAULT_OLD_KEYS}, and the legacy {@code VIGIL_SECRET_KEY}).
 * The schema must exist (the server has run once against the database).
 */
public final class VaultCommand {

    static final String USAGE = "usage: vigil-server vault reencrypt [--datasources.default.url=jdbc:postgresql://...] "
            + "[--vigil.vault.key-file=/etc/vigil/vault.key]\n"
            + "  re-encrypts every vault secret under the active key (the first line of the key file);\n"
            + "  afterwards the older keys can be removed from the key file";

    private VaultCommand() {
    }

    /** Runs the command. @return the process exit status: 0 done, 1 failed, 2 usage */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("reencrypt")) {
            err.println(USAGE);
            return 2;
        }
        String[] settings = Arrays.copyOfRange(args, 1, args.length);
        try (ApplicationContext context = ApplicationContext.builder().args(settings).deduceEnvironment(false)
                .banner(false).build()) {
            Environment env = context.getEnvironment();
            env.start();
            Keyring keys = KeyringLoader.load(env);
            String url = text(env, "datasources.default.url");
            try (Connection c = DriverManager.getConnection(url, text(env, "datasources.default.username"),
                    text(env, "datasources.default.password"))) {
                c.setAutoCommit(false);
                try {
                    Reencryption.Result r = Reencryption.run(c, keys, "vault reencrypt", Instant.now());
                    c.commit();
                    out.println("re-encrypted " + r.values() + " values of " + r.secrets() + " secrets under key "
                            + r.keyId() + "; no vault secret needs another key now"
                            + " (values in configuration files, enc:v1:/enc:v2:, are not in the vault: encrypt them "
                            + "again before removing a key)");
                    return 0;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        } catch (SQLException e) {
            err.println("vault reencrypt: database error (" + e.getSQLState() + "): " + e.getMessage()
                    + "; nothing was changed");
            return 1;
        } catch (RuntimeException e) {
            err.println("vault reencrypt: " + e.getMessage());
            return 1;
        }
    }

    private static String text(Environment env, String key) {
        return env.getProperty(key, String.class).orElse(null);
    }
}
