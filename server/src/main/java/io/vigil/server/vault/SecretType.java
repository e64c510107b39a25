package io.vigil.server.vault;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a vault secret is for; shown in lists so an operator knows what rotating it affects. */
public enum SecretType {
    NOTIFICATION_TOKEN, SMTP_PASSWORD, WEBHOOK_HMAC, API_KEY, OTHER;

    /** The name in the API and the database, e.g. {@code smtp_password}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of this wire name, if it is one. */
    public static Optional<SecretType> of(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(wireName)).findFirst();
    }

    /** Every wire name, comma separated, for error messages. */
    static String names() {
        return Arrays.stream(values()).map(SecretType::wireName).collect(Collectors.joining(", "));
    }
}
