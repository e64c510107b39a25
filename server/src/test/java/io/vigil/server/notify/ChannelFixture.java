package io.vigil.server.notify;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.ObjectMapper;
import io.vigil.server.alert.Alert;
import io.vigil.server.alert.AlertState;
import io.vigil.server.alert.AlertingSpec;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.configfile.Problems;
import io.vigil.server.crypto.Keyring;
import io.vigil.server.crypto.NamedSecrets;
import io.vigil.server.crypto.Secret;
import io.vigil.server.crypto.SecretValues;
import io.vigil.server.event.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the channel specifications share: parsing a channel entry, a sample message, JSON, HTTP. */
public final class ChannelFixture {

    public static final JsonMapper JSON = ObjectMapper.getDefault();
    public static final HttpDelivery HTTP = new HttpDelivery(Duration.ofSeconds(2));
    /** No vault here: {@code ${vault:...}} is specified against a running server (VaultSpec). */
    private static final NamedSecrets NO_VAULT = new NamedSecrets() {
        @Override
        public boolean exists(String name) {
            return false;
        }

        @Override
        public Secret atUse(String name, String caller) {
            throw new IllegalStateException("no vault in the channel fixture");
        }
    };
    public static final SecretValues SECRETS = new SecretValues(
            new Keyring(Keyring.LEGACY_KEY_ID, Map.of(), AlertingSpec.BOX), NO_VAULT, Map.of());

    private ChannelFixture() {
    }

    /** {@code value} encrypted with the specifications' key, as the routing file holds it. */
    public static String encrypted(String value) {
        return AlertingSpec.BOX.encrypt(value);
    }

    /** Parses one channel entry with {@code type}; fails the test on any problem. */
    public static Channel parse(ChannelType type, String yaml) {
        Problems problems = new Problems();
        Channel c = type.parse("spec", ConfigNode.parse(yaml, "routing.yml", problems), SECRETS);
        if (!problems.isEmpty() || c == null) {
            throw new AssertionError("channel did not parse: " + problems.list());
        }
        return c;
    }

    /** The problems of parsing one channel entry. */
    public static List<String> problems(ChannelType type, String yaml) {
        Problems problems = new Problems();
        type.parse("spec", ConfigNode.parse(yaml, "routing.yml", problems), SECRETS);
        return problems.list().stream().map(Object::toString).toList();
    }

    /** An alert as notifications show it. */
    public static Alert alert(long id, Severity severity, String title, AlertState state) {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        return new Alert(id, "disk-full", "event", "disk:" + id, state, severity, title, "93% used on /var",
                Map.of("rule", "disk-full", "severity", severity.wireName(), "subject", "/var", "host", "db-1"), 2, t,
                t.plusSeconds(60), null, 0, null, null, state == AlertState.RESOLVED ? t.plusSeconds(600) : null,
                state == AlertState.RESOLVED ? "rule:disk-full" : null, null);
    }

    /** A firing notification about one high alert. */
    public static NotificationMessage firing() {
        return NotificationMessage.of("firing", "root|alert:7", Map.of(),
                List.of(alert(7, Severity.HIGH, "disk <full> on db-1 & co", AlertState.FIRING)), 0, Instant.now());
    }

    /** The resolution of the same alert. */
    public static NotificationMessage resolved() {
        return NotificationMessage.of("resolved", "root|alert:7", Map.of(),
                List.of(alert(7, Severity.HIGH, "disk <full> on db-1 & co", AlertState.RESOLVED)), 0, Instant.now());
    }
}
