package io.vigil.server.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Command line: encrypts a secret for the routing file with the server's active vault key, without
 * a running server. The secret is read from standard input so that it stays out of the shell
 * history; the keys are found as the server finds them ({@link KeyringLoader}).
 *
 * <pre>
 *   printf %s "$TOKEN" | VIGIL_VAULT_KEY_FILE=/etc/vigil/vault.key java -cp vigil-server.jar io.vigil.server.crypto.EncryptSecret
 *   printf %s "$TOKEN" | java -cp vigil-server.jar io.vigil.server.crypto.EncryptSecret --key-file /etc/vigil/vault.key
 *   java -cp vigil-server.jar io.vigil.server.crypto.EncryptSecret --new-key      # base64 of 32 random bytes
 * </pre>
 *
 * Secrets the server itself uses are better kept in the vault ({@code POST /api/v1/secrets},
 * referenced as {@code ${vault:name}}): they can be rotated without editing the file.
 */
public final class EncryptSecret {

    private EncryptSecret() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("--new-key")) {
            System.out.println(SecretBox.newKeyBase64());
            return;
        }
        String keyFile;
        if (args.length == 2 && args[0].equals("--key-file")) {
            keyFile = args[1];
        } else if (args.length == 0) {
            keyFile = System.getenv("VIGIL_VAULT_KEY_FILE");
        } else {
            System.err.println("usage: EncryptSecret [--key-file FILE] < secret   (or set VIGIL_VAULT_KEY_FILE or "
                    + "VIGIL_VAULT_KEY)\n       EncryptSecret --new-key");
            System.exit(2);
            return;
        }
        Keyring keys;
        try {
            keys = KeyringLoader.load(new KeyringLoader.Settings(keyFile,
                    keyFile == null ? System.getenv("VIGIL_VAULT_KEY") : null, null,
                    System.getenv("VIGIL_SECRET_KEY"), System.getenv("VIGIL_SECRET_KEY_FILE")));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String plain = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        if (plain.isEmpty()) {
            System.err.println("nothing on standard input: pipe the secret in, e.g. printf %s \"$TOKEN\" | ...");
            System.exit(2);
        }
        System.out.println(keys.encrypt(Keyring.CONFIG_CONTEXT, plain));
    }
}
