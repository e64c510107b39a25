package io.vigil.server.alert;

import java.util.Locale;
import java.util.Optional;

/** Where an alert is in its life: firing → acknowledged → resolved (or firing → resolved). */
public enum AlertState {
    /** The condition holds (or held) and nobody has taken it on. */
    FIRING,
    /** Someone took it on: no more escalation or repeat notifications. */
    ACKNOWLEDGED,
    /** Over: cleared by itself or resolved by someone. A new occurrence opens a new alert. */
    RESOLVED;

    /** The name stored and used in JSON: {@code "firing"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AlertState> fromWireName(String name) {
        for (AlertState s : values()) {
            if (s.wireName().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
