package io.vigil.server.crypto;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.value.PropertyResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the {@link Keyring} at start-up, from exactly one of:
 * <ul>
 *   <li>{@code vigil.vault.key-file} (env {@code VIGIL_VAULT_KEY_FILE}): lines {@code <kid>:<base64 of 32 bytes>};
 *       the first key line is the active key, the others are older keys that still decrypt; blank
 *       lines and {@code #} comments are ignored. The file must not be readable or writable by
 *       group or others;</li>
 *   <li>{@code vigil.vault.key} (env {@code VIGIL_VAULT_KEY}) {@code <kid>:<base64>}, the active key, and
 *       {@code vigil.vault.old-keys} (env {@code VIGIL_VAULT_OLD_KEYS}) {@code <kid>:<base64>,...}.</li>
 * </ul>
 * The key configured the old way ({@code vigil.notify.secret-key} / {@code -file}) is added as key id
 * {@value Keyring#LEGACY_KEY_ID}, and is the active key when it is the only one (servers upgraded
 * from before the vault keep starting). Without any key the server refuses to start with
 * {@link #NO_KEY}; it never makes a key itself. No message ever contains key material.
 */
@Factory
public class KeyringLoader {

    /** The default key file of the packages (docs/operator-guide.md). */
    public static final String DEFAULT_KEY_FILE = "/etc/vigil/vault.key";

    /** Why the server does not start without a key, and what to do. */
    public static final String NO_KEY = "the server has no vault key, and it never makes one itself. Create a key "
            + "file readable only by the user the server runs as and point the server at it:\n"
            + "  (umask 077; printf 'k1:%s\\n' \"$(head -c 32 /dev/urandom | base64)\" > " + DEFAULT_KEY_FILE + ")\n"
            + "  VIGIL_VAULT_KEY_FILE=" + DEFAULT_KEY_FILE + "   (or vigil.vault.key-file)\n"
            + "or set VIGIL_VAULT_KEY=k1:<base64 of 32 random bytes, e.g. from: head -c 32 /dev/urandom | base64>. "
            + "Keep a copy of the key: without it the stored secrets cannot be read. See docs/operator-guide.md, "
            + "\"Vault key\"";

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    /**
     * Where the keys come from; blank or null means "not set".
     *
     * @param keyFile         {@code vigil.vault.key-file}
     * @param key             {@code vigil.vault.key}
     * @param oldKeys         {@code vigil.vault.old-keys}
     * @param legacyKey       {@code vigil.notify.secret-key}
     * @param legacyKeyFile   {@code vigil.notify.secret-key-file}
     */
    public record Settings(@Nullable String keyFile, @Nullable String key, @Nullable String oldKeys,
                           @Nullable String legacyKey, @Nullable String legacyKeyFile) {
    }

    @Context
    Keyring keyring(@Nullable @Value("${vigil.vault.key-file:}") String keyFile,
                    @Nullable @Value("${vigil.vault.key:}") String key,
                    @Nullable @Value("${vigil.vault.old-keys:}") String oldKeys,
                    @Nullable @Value("${vigil.notify.secret-key:}") String legacyKey,
                    @Nullable @Value("${vigil.notify.secret-key-file:}") String legacyKeyFile) {
        return load(new Settings(keyFile, key, oldKeys, legacyKey, legacyKeyFile));
    }

    /**
     * The keyring of the settings as the server resolves them (application.yml, environment
     * variables, system properties, {@code --name=value} arguments), without starting the server:
     * for the start-up check that comes before anything else, and for commands such as
     * {@code vault reencrypt}.
     */
    public static Keyring load(PropertyResolver settings) {
        return load(new Settings(text(settings, "vigil.vault.key-file"), text(settings, "vigil.vault.key"),
                text(settings, "vigil.vault.old-keys"), text(settings, "vigil.notify.secret-key"),
                text(settings, "vigil.notify.secret-key-file")));
    }

    /** {@link #load(PropertyResolver)} with the settings of these command-line arguments. */
    public static Keyring load(String[] args) {
        try (ApplicationContext context = ApplicationContext.builder().args(args).deduceEnvironment(false)
                .banner(false).build()) {
            Environment env = context.getEnvironment();
            env.start();
            return load(env);
        }
    }

    private static @Nullable String text(PropertyResolver settings, String key) {
        return settings.get(key, String.class).orElse(null);
    }

    /**
     * The keyring these settings describe.
     *
     * @throws IllegalStateException with {@link #NO_KEY} when there is no key, or naming the setting
     *                               (and line) that is wrong
     */
    public static Keyring load(Settings s) {
        SecretBox legacy = legacy(s);
        Map<String, byte[]> keys = new LinkedHashMap<>();
        if (set(s.keyFile()) && set(s.key())) {
            throw new IllegalStateException("both vigil.vault.key-file (VIGIL_VAULT_KEY_FILE) and vigil.vault.key "
                    + "(VIGIL_VAULT_KEY) are set: use one of them");
        }
        if (set(s.keyFile())) {
            readKeyFile(Path.of(s.keyFile().strip()), keys);
        } else if (set(s.key())) {
            add(keys, s.key().strip(), "vigil.vault.key (VIGIL_VAULT_KEY)");
        }
        if (set(s.oldKeys())) {
            if (keys.isEmpty()) {
                throw new IllegalStateException("vigil.vault.old-keys (VIGIL_VAULT_OLD_KEYS) is set but there is no "
                        + "active key: set vigil.vault.key (VIGIL_VAULT_KEY) too");
            }
            for (String entry : s.oldKeys().split("[,\\s]+")) {
                if (!entry.isBlank()) {
                    add(keys, entry, "vigil.vault.old-keys (VIGIL_VAULT_OLD_KEYS)");
                }
            }
        }
        if (keys.isEmpty()) {
            if (legacy == null) {
                throw new IllegalStateException(NO_KEY);
            }
            return new Keyring(Keyring.LEGACY_KEY_ID, Map.of(), legacy);
        }
        return new Keyring(keys.keySet().iterator().next(), keys, legacy);
    }

    private static void readKeyFile(Path file, Map<String, byte[]> keys) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                throw new IllegalStateException("the vault key file " + file + " is open to group or others ("
                        + PosixFilePermissions.toString(perms) + "): make it readable only by the user the server "
                        + "runs as: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: nothing to check
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the vault key file " + file + " does not exist (vigil.vault.key-file, "
                    + "env VIGIL_VAULT_KEY_FILE). " + NO_KEY);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the vault key file " + file + " ("
                    + e.getClass().getSimpleName() + "): check its owner and permissions");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the vault key file " + file + " ("
                    + e.getClass().getSimpleName() + "): check its owner and permissions");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                add(keys, line, file + ":" + (i + 1));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("the vault key file " + file + " holds no key: expected lines "
                    + "<kid>:<base64 of 32 bytes>. " + NO_KEY);
        }
    }

    /** Adds {@code <kid>:<base64>}; {@code where} names the setting or file line in messages. */
    private static void add(Map<String, byte[]> keys, String entry, String where) {
        int colon = entry.indexOf(':');
        String kid = colon < 0 ? "" : entry.substring(0, colon).strip();
        if (colon < 0 || !Keyring.KEY_ID.matcher(kid).matches()) {
            throw new IllegalStateException(where + ": expected <kid>:<base64 of 32 bytes>, where kid is 1 to 64 "
                    + "letters, digits, '.', '_' or '-' (e.g. k1:" + "<output of head -c 32 /dev/urandom | base64>)");
        }
        if (kid.equals(Keyring.LEGACY_KEY_ID)) {
            throw new IllegalStateException(where + ": the key id \"" + Keyring.LEGACY_KEY_ID + "\" is reserved for "
                    + "the key configured as vigil.notify.secret-key: choose another id");
        }
        if (keys.containsKey(kid)) {
            throw new IllegalStateException(where + ": the key id \"" + kid + "\" appears twice: each key needs its "
                    + "own id");
        }
        keys.put(kid, decode(entry.substring(colon + 1).strip(), where + " (key \"" + kid + "\")"));
    }

    private static @Nullable SecretBox legacy(Settings s) {
        if (set(s.legacyKey())) {
            return new SecretBox(decode(s.legacyKey().strip(), "vigil.notify.secret-key (VIGIL_SECRET_KEY)"));
        }
        if (!set(s.legacyKeyFile())) {
            return null;
        }
        Path file = Path.of(s.legacyKeyFile().strip());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the secret key file " + file + " ("
                    + e.getClass().getSimpleName() + "): check vigil.notify.secret-key-file and its permissions");
        }
        return new SecretBox(bytes.length == 32 ? bytes
                : decode(new String(bytes, StandardCharsets.US_ASCII).strip(), "the secret key file " + file));
    }

    private static byte[] decode(String base64, String where) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not base64: make a key with head -c 32 /dev/urandom | base64");
        }
        if (k.length != 32) {
            throw new IllegalStateException(where + " decodes to " + k.length + " bytes, not 32: make a key with "
                    + "head -c 32 /dev/urandom | base64");
        }
        return k;
    }

    private static boolean set(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
