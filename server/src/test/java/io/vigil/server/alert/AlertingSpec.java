package io.vigil.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.server.ServerSpec;
import io.vigil.server.crypto.SecretBox;
import io.vigil.server.notify.Receiver;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What the alerting specifications share: a server with a rules file and a routing file of the
 * specification's own (in a temporary directory), a webhook {@link Receiver} on loopback, short
 * timers, a secret key, and API keys per role.
 */
public abstract class AlertingSpec extends ServerSpec {

    /** The server's secret key in the specifications (base64 of 32 bytes). */
    public static final String SECRET_KEY = Base64.getEncoder().encodeToString(
            "vigil-spec-secret-key-32-bytes!!".getBytes(StandardCharsets.US_ASCII));
    public static final SecretBox BOX = new SecretBox(Base64.getDecoder().decode(SECRET_KEY));
    /** The HMAC key of the webhook channel "hook". */
    public static final String WEBHOOK_SECRET = "whsec-spec-5f1d0c3b9a7e";

    protected final Receiver receiver = Receiver.start();
    protected final Path dir = tempDir();
    protected final Path rulesFile = dir.resolve("rules.yml");
    protected final Path routingFile = dir.resolve("routing.yml");
    private final Map<String, String> keys = new ConcurrentHashMap<>();

    /** The rules file's content. */
    protected abstract String rules();

    /** The routing file's content; by default every alert goes to the webhook "hook" at once. */
    protected String routing() {
        return """
                channels:
                  - name: hook
                    type: webhook
                    url: %s
                    secret: %s
                route:
                  channels: [hook]
                  group_wait: 0s
                  group_interval: 200ms
                  repeat_interval: 1h
                """.formatted(receiver.uri("/hook"), BOX.encrypt(WEBHOOK_SECRET));
    }

    /** Properties a specification adds. */
    protected Map<String, String> alertingProperties() {
        return Map.of();
    }

    @Override
    protected final Map<String, String> extraProperties() {
        write(rulesFile, rules());
        write(routingFile, routing());
        Map<String, String> p = new HashMap<>();
        p.put("vigil.alerting.rules-file", rulesFile.toString());
        p.put("vigil.alerting.routing-file", routingFile.toString());
        p.put("vigil.alerting.default-rules", "false");
        p.put("vigil.alerting.reload-interval", "100ms");
        p.put("vigil.alerting.evaluation-interval", "100ms");
        p.put("vigil.alerting.group-tick", "100ms");
        p.put("vigil.notify.secret-key", SECRET_KEY);
        p.put("vigil.notify.poll-interval", "1s");
        p.put("vigil.notify.http-timeout", "2s");
        p.put("vigil.notify.retry.initial-backoff", "100ms");
        p.put("vigil.notify.retry.max-backoff", "1s");
        p.put("vigil.notify.retry.max-attempts", "5");
        p.putAll(alertingProperties());
        return p;
    }

    /** Runs before ServerSpec drops the database: the server stops first, so nothing waits for a database that is gone. */
    @AfterAll
    void stopServerAndReceiver() {
        server.getApplicationContext().close();
        receiver.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    protected static void write(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("vigil-alerting-spec-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token of an API key with this role (viewer, operator, admin), made once per specification. */
    protected String key(String role) {
        return keys.computeIfAbsent(role, r -> {
            Response created = postJson("/api/v1/api-keys", ADMIN_TOKEN,
                    "{\"name\": \"spec-" + r + "\", \"role\": \"" + r + "\"}");
            if (created.status() != 201) {
                throw new AssertionError("cannot create a " + r + " key: " + created.status() + " " + created.body());
            }
            return created.json().get("token").asText();
        });
    }

    /** Waits for a condition, polling; fails with {@code what} after the timeout. */
    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The alerts of a rule, oldest first, as rows of the alerts table. */
    protected List<Map<String, Object>> alertsOf(String rule) {
        return query("SELECT id, fingerprint, state, severity, title, message, labels::text AS labels, count, "
                + "escalation_level, resolved_by, resolution FROM alerts WHERE rule_id = ? ORDER BY id", rule);
    }

    /** Webhook requests whose body mentions {@code text}. */
    protected List<Receiver.Hit> hooksAbout(String text) {
        return receiver.hits(h -> h.path().equals("/hook") && h.text().contains(text));
    }

    /** Waits for {@code count} webhook requests mentioning {@code text}. */
    protected List<Receiver.Hit> awaitHooks(String text, int count) {
        return receiver.await(h -> h.path().equals("/hook") && h.text().contains(text), count, Duration.ofSeconds(10));
    }

    protected static JsonNode json(Receiver.Hit hit) {
        try {
            return JSON.readTree(hit.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event of the wire format at the current time. */
    protected static Map<String, Object> eventNow(Map<String, Object> overrides) {
        Map<String, Object> o = new HashMap<>(overrides);
        o.putIfAbsent("time", Instant.now().toString());
        return event(o);
    }

    /** Lets a moment pass, for "nothing more happens" assertions. */
    protected static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
