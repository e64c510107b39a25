package io.vigil.server.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Command line: encrypts a secret for the routing file with the server's key, without a running
 * server. The secret is read from standard input so that it stays out of the shell history.
 *
 * <pre>
 *   java -cp vigil-server.jar io.vigil.server.crypto.EncryptSecret --new-key      # prints a new key
 *   printf %s "$TOKEN" | VIGIL_SECRET_KEY=... java -cp vigil-server.jar io.vigil.server.crypto.EncryptSecret
 *   printf %s "$TOKEN" | java -cp vigil-server.jar io.vigil.server.crypto.EncryptSecret --key-file /etc/vigil/secret.key
 * </pre>
 */
public final class EncryptSecret {

    private EncryptSecret() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("--new-key")) {
            System.out.println(SecretBox.newKeyBase64());
            return;
        }
        byte[] key;
        if (args.length == 2 && args[0].equals("--key-file")) {
            byte[] bytes = Files.readAllBytes(Path.of(args[1]));
            key = bytes.length == 32 ? bytes : Base64.getDecoder().decode(new String(bytes, StandardCharsets.US_ASCII).strip());
        } else if (args.length == 0 && System.getenv("VIGIL_SECRET_KEY") != null) {
            key = Base64.getDecoder().decode(System.getenv("VIGIL_SECRET_KEY").strip());
        } else {
            System.err.println("usage: EncryptSecret [--key-file FILE] < secret   (or set VIGIL_SECRET_KEY)\n"
                    + "       EncryptSecret --new-key");
            System.exit(2);
            return;
        }
        String plain = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        if (plain.isEmpty()) {
            System.err.println("nothing on standard input: pipe the secret in, e.g. printf %s \"$TOKEN\" | ...");
            System.exit(2);
        }
        System.out.println(new SecretBox(key).encrypt(plain));
    }
}
