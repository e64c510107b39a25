package io.vigil.server.notify.email;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.Secret;
import io.vigil.server.crypto.SecretValues;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Email over SMTP: one message per notification, plain text and HTML.
 *
 * <pre>
 * - name: oncall-email
 *   type: email
 *   host: smtp.example.com
 *   port: 587                   # default 587 (starttls), 465 (tls), 25 (none)
 *   security: starttls          # starttls (required), tls (SMTPS), none
 *   username: vigil@example.com # optional: no authentication without it
 *   password: enc:v1:...
 *   from: vigil@example.com
 *   to: [oncall@example.com, ops@example.com]
 * </pre>
 */
public record EmailConfig(String host, int port, String security, @Nullable String username, @Nullable Secret password,
                          InternetAddress from, List<InternetAddress> to) {

    static final List<String> KEYS = List.of("host", "port", "security", "username", "password", "from", "to");
    static final List<String> SECURITY = List.of("starttls", "tls", "none");

    static @Nullable EmailConfig parse(ConfigNode node, SecretValues secrets) {
        int before = node.problems().size();
        String host = node.get("host").requiredText();
        String security = node.get("security").text();
        security = security == null ? "starttls" : security.strip().toLowerCase(Locale.ROOT);
        if (!SECURITY.contains(security)) {
            node.get("security").problem("expected starttls, tls or none, got \"" + security + "\"");
        }
        Double portNumber = node.get("port").number();
        int port = portNumber != null ? portNumber.intValue() : switch (security) {
            case "tls" -> 465;
            case "none" -> 25;
            default -> 587;
        };
        if (port < 1 || port > 65535) {
            node.get("port").problem("expected a port number 1 to 65535, got " + port);
        }
        String username = node.get("username").text();
        Secret password = secrets.optional(node.get("password"));
        if (password != null && username == null) {
            node.get("username").problem("required when a password is given");
        }
        InternetAddress from = address(node.get("from"), node.get("from").requiredText());
        List<InternetAddress> to = new ArrayList<>();
        for (String t : node.get("to").textList()) {
            InternetAddress a = address(node.get("to"), t);
            if (a != null) {
                to.add(a);
            }
        }
        if (!node.get("to").isPresent()) {
            node.get("to").problem("required: one address or a list");
        }
        if (node.problems().size() > before || host == null || from == null || to.isEmpty()) {
            return null;
        }
        return new EmailConfig(host.strip(), port, security, username, password, from, List.copyOf(to));
    }

    private static @Nullable InternetAddress address(ConfigNode node, @Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            InternetAddress a = new InternetAddress(text.strip(), true);
            a.validate();
            return a;
        } catch (AddressException e) {
            node.problem("\"" + text + "\" is not an email address: " + e.getMessage());
            return null;
        }
    }
}
