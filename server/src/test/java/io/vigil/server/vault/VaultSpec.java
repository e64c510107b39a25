package io.vigil.server.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import io.vigil.server.ServerSpec;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.configfile.Problems;
import io.vigil.server.crypto.Keyring;
import io.vigil.server.crypto.Secret;
import io.vigil.server.crypto.SecretValues;
import io.vigil.server.event.ServerEvents;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.ChannelCatalog;
import io.vigil.server.notify.DeliveryResult;
import io.vigil.server.notify.LogCapture;
import io.vigil.server.notify.NotificationMessage;
import io.vigil.server.notify.Receiver;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class VaultSpec extends ServerSpec {

    private static final String SLACK = "xoxb-vault-spec-slack-token-7f3a";
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Inject
    TransactionOperations<Connection> transactions;
    @Inject
    Keyring keys;
    @Inject
    Vault vault;
    @Inject
    ServerEvents events;
    @Inject
    ChannelCatalog catalog;

    private final Receiver receiver = Receiver.start();

    @Override
    protected Map<String, String> extraProperties() {
        // the specifications run the expiry check themselves, with their own clock
        return Map.of("vigil.vault.expiry-check-enabled", "false");
    }
    private String operatorKey;

    @BeforeEach
    void emptyVault() {
        execute("TRUNCATE secrets, secret_audit");
        execute("DELETE FROM events WHERE plugin = 'server'");
        if (operatorKey == null) {
            operatorKey = postJson("/api/v1/api-keys", ADMIN_TOKEN, "{\"name\": \"vault-operator\", \"role\": \"operator\"}")
                    .json().get("token").asText();
        }
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    private Response create(String name, String type, String value) {
        return postJson("/api/v1/secrets", ADMIN_TOKEN,
                "{\"name\": \"" + name + "\", \"type\": \"" + type + "\", \"value\": \"" + value + "\"}");
    }

    private Response delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    private Vault vaultAt(MutableClock clock) {
        return vaultAt(clock, keys);
    }

    private Vault vaultAt(MutableClock clock, Keyring keyring) {
        return new Vault(transactions, keyring, events, Duration.ofMinutes(1), clock);
    }

    private List<String> auditActions(String name) {
        return query("SELECT action FROM secret_audit WHERE secret_name = ? ORDER BY id", name).stream()
                .map(r -> (String) r.get("action")).toList();
    }

    // ---- API -------------------------------------------------------------------------------------

    @Test
    void createsASecretWith201AndNeverShowsItsValue() {
        Response created = postJson("/api/v1/secrets", ADMIN_TOKEN, "{\"name\": \"ops-slack\", \"type\": "
                + "\"notification_token\", \"value\": \"" + SLACK + "\", \"expires_at\": \"2027-01-31T00:00:00Z\"}");

        assertEquals(201, created.status(), created.body());
        JsonNode body = created.json();
        assertEquals("ops-slack", body.get("name").asText());
        assertEquals("notification_token", body.get("type").asText());
        assertEquals("spec", body.get("key_id").asText());
        assertEquals("admin", body.get("created_by").asText());
        assertEquals("2027-01-31T00:00:00Z", body.get("expires_at").asText());
        assertEquals(0, body.get("usage_count").asLong());
        Response list = get("/api/v1/secrets", ADMIN_TOKEN);
        Response one = get("/api/v1/secrets/ops-slack", ADMIN_TOKEN);
        assertEquals(1, list.json().get("secrets").size());
        assertEquals("ops-slack", one.json().get("name").asText());
        for (Response r : List.of(created, list, one, get("/api/v1/secrets/ops-slack/audit", ADMIN_TOKEN))) {
            assertFalse(r.body().contains(SLACK), r.body());
            assertFalse(r.body().contains("enc:v2"), "not even the ciphertext: " + r.body());
        }
        String stored = (String) queryOne("SELECT ciphertext FROM secrets WHERE name = 'ops-slack'").get("ciphertext");
        assertTrue(stored.startsWith("enc:v2:spec:"), stored);
    }

    @Test
    void anOperatorGets403OnEveryVaultEndpoint() {
        create("ops-slack", "notification_token", SLACK);

        assertEquals(403, postJson("/api/v1/secrets", operatorKey,
                "{\"name\": \"x\", \"type\": \"other\", \"value\": \"v\"}").status());
        assertEquals(403, get("/api/v1/secrets", operatorKey).status());
        assertEquals(403, get("/api/v1/secrets/ops-slack", operatorKey).status());
        assertEquals(403, postJson("/api/v1/secrets/ops-slack/rotate", operatorKey, "{\"value\": \"v2\"}").status());
        assertEquals(403, delete("/api/v1/secrets/ops-slack", operatorKey).status());
        assertEquals(403, get("/api/v1/secrets/ops-slack/audit", operatorKey).status());
        assertEquals(403, get("/api/v1/secrets-audit", operatorKey).status());
        assertEquals(403, postJson("/api/v1/secrets/reencrypt", operatorKey, "{}").status());
        assertEquals(1, count("SELECT count(*) FROM secrets"), "nothing changed");
    }

    @Test
    void badInputIs400NamingEachFieldAndATakenNameIs409() {
        Response bad = postJson("/api/v1/secrets", ADMIN_TOKEN,
                "{\"name\": \"no spaces\", \"type\": \"password\", \"expires_at\": \"tomorrow\"}");

        assertEquals(400, bad.status());
        String detail = bad.json().get("detail").asText();
        assertTrue(detail.contains("name must be 1 to 128 letters"), detail);
        assertTrue(detail.contains("type must be one of notification_token, smtp_password, webhook_hmac, api_key, other"),
                detail);
        assertTrue(detail.contains("value is required"), detail);
        assertTrue(detail.contains("expires_at must be a UTC time like 2027-01-31T00:00:00Z, got \"tomorrow\""), detail);

        assertEquals(201, create("smtp", "smtp_password", "pw-1").status());
        Response taken = create("smtp", "smtp_password", "pw-2");
        assertEquals(409, taken.status());
        assertFalse(taken.body().contains("pw-2"));
        assertEquals(400, postJson("/api/v1/secrets/smtp/rotate", ADMIN_TOKEN,
                "{\"value\": \"pw-3\", \"grace\": \"soon\"}").status());
        assertEquals(404, postJson("/api/v1/secrets/nope/rotate", ADMIN_TOKEN, "{\"value\": \"v\"}").status());
        assertEquals(404, get("/api/v1/secrets/nope", ADMIN_TOKEN).status());
    }

    @Test
    void deleteRemovesTheSecretAndKeepsItsAudit() {
        create("old-api", "api_key", "ak-123456");

        assertEquals(204, delete("/api/v1/secrets/old-api", ADMIN_TOKEN).status());
        assertEquals(404, delete("/api/v1/secrets/old-api", ADMIN_TOKEN).status());
        assertEquals(404, get("/api/v1/secrets/old-api", ADMIN_TOKEN).status());
        JsonNode audit = get("/api/v1/secrets-audit?secret=old-api", ADMIN_TOKEN).json().get("entries");
        assertEquals("deleted", audit.get(0).get("action").asText());
        assertEquals("admin", audit.get(0).get("actor").asText());
        assertEquals("created", audit.get(1).get("action").asText());
    }

    // ---- reading, rotation, audit ----------------------------------------------------------------

    @Test
    void everyCreateReadRotateAndDeleteIsAuditedAndReadsAreCountedExactly() {
        MutableClock clock = new MutableClock(T0);
        Vault v = vaultAt(clock);
        v.create("hook", SecretType.WEBHOOK_HMAC, "hmac-1", null, "admin");

        v.current("hook", "channel:a");
        clock.advance(Duration.ofSeconds(20));
        v.current("hook", "channel:a");
        v.current("hook", "channel:b");
        clock.advance(Duration.ofSeconds(41));
        v.current("hook", "channel:a");
        v.rotate("hook", "hmac-2", Duration.ofDays(7), null, "admin");
        v.delete("hook", "key:alice");

        assertEquals(List.of("created", "read", "read", "read", "rotated", "deleted"), auditActions("hook"),
                "one read row per secret and caller per minute");
        List<Map<String, Object>> reads = query("SELECT actor, detail FROM secret_audit WHERE action = 'read' ORDER BY id");
        assertEquals("channel:a", reads.get(0).get("actor"));
        assertEquals("channel:b", reads.get(1).get("actor"));
        assertTrue(((String) reads.get(2).get("detail")).startsWith("usage_count 4;"), reads.get(2).toString());
        assertEquals("key:alice", queryOne("SELECT actor FROM secret_audit WHERE action = 'deleted'").get("actor"));
        assertEquals(0, count("SELECT count(*) FROM secret_audit WHERE detail LIKE '%hmac-%'"), "no values in the audit");
    }

    @Test
    void usageCountAndLastUsedAreExact() {
        MutableClock clock = new MutableClock(T0);
        Vault v = vaultAt(clock);
        v.create("pd", SecretType.NOTIFICATION_TOKEN, "pd-key", null, "admin");

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            v.current("pd", "channel:pager");
        }

        SecretMetadata m = v.find("pd").orElseThrow();
        assertEquals(5, m.usageCount());
        assertEquals(T0.plusSeconds(5), m.lastUsedAt());
    }

    @Test
    void afterARotationThePreviousValueIsValidDuringTheGraceAndNotAfter() {
        MutableClock clock = new MutableClock(T0);
        Vault v = vaultAt(clock);
        v.create("hook", SecretType.WEBHOOK_HMAC, "hmac-old", null, "admin");

        SecretMetadata rotated = v.rotate("hook", "hmac-new", Duration.ofDays(7), null, "admin");

        assertEquals(T0.plus(Duration.ofDays(7)), rotated.previousValidUntil());
        assertEquals("hmac-new", v.current("hook", "verifier").reveal(), "signing uses the current value");
        assertEquals(List.of("hmac-new", "hmac-old"), reveal(v.validValues("hook", "verifier")));
        clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertEquals(List.of("hmac-new", "hmac-old"), reveal(v.validValues("hook", "verifier")));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("hmac-new"), reveal(v.validValues("hook", "verifier")));
    }

    @Test
    void theRotateEndpointUsesTheConfiguredGraceByDefaultAndAcceptsAnother() {
        create("smtp", "smtp_password", "pw-1");
        Instant before = Instant.now();

        JsonNode byDefault = postJson("/api/v1/secrets/smtp/rotate", ADMIN_TOKEN, "{\"value\": \"pw-2\"}").json();
        JsonNode none = postJson("/api/v1/secrets/smtp/rotate", ADMIN_TOKEN,
                "{\"value\": \"pw-3\", \"grace\": \"0s\", \"expires_at\": \"2027-03-01T00:00:00Z\"}").json();

        Instant until = Instant.parse(byDefault.get("previous_valid_until").asText());
        assertTrue(!until.isBefore(before.plus(Duration.ofDays(7))) && until.isBefore(Instant.now().plus(Duration.ofDays(7))),
                until.toString());
        assertEquals("2027-03-01T00:00:00Z", none.get("expires_at").asText());
        assertEquals(List.of("pw-3"), reveal(vault.validValues("smtp", "spec")));
        assertFalse(byDefault.toString().contains("pw-"));
    }

    @Test
    void aCiphertextCopiedToAnotherSecretsRowIsRefused() {
        create("slack-a", "notification_token", "value-of-a");
        create("slack-b", "notification_token", "value-of-b");
        execute("UPDATE secrets SET ciphertext = (SELECT ciphertext FROM secrets WHERE name = 'slack-a') "
                + "WHERE name = 'slack-b'");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> vault.current("slack-b", "spec"));

        assertEquals("the vault secret \"slack-b\" cannot be read: the value does not decrypt with key \"spec\" for "
                + "secret:slack-b: it was made with another key under that id, for another secret, or altered",
                e.getMessage());
    }

    // ---- channels --------------------------------------------------------------------------------

    @Test
    void aWebhookChannelReferencingTheVaultSignsWithTheCurrentValueAndARotationNeedsNoReload() throws Exception {
        create("hook-hmac", "webhook_hmac", "whsec-first-value");
        SecretValues secrets = new SecretValues(keys, vault, Map.of());
        Problems problems = new Problems();
        Map<String, Channel> parsed = catalog.parse(ConfigNode.parse("channels:\n  - {name: hook, type: webhook, url: \""
                + receiver.uri("/vault-hook") + "\", secret: \"${vault:hook-hmac}\"}\n", "routing.yml", problems)
                .get("channels"), secrets);
        assertTrue(problems.isEmpty(), problems.list().toString());
        Channel hook = parsed.get("hook");

        assertEquals(DeliveryResult.Outcome.DELIVERED, hook.send(1, message()).outcome());
        postJson("/api/v1/secrets/hook-hmac/rotate", ADMIN_TOKEN, "{\"value\": \"whsec-second-value\"}");
        assertEquals(DeliveryResult.Outcome.DELIVERED, hook.send(2, message()).outcome());

        List<Receiver.Hit> hits = receiver.await(h -> h.path().equals("/vault-hook"), 2, Duration.ofSeconds(5));
        assertTrue(signedWith("whsec-first-value", hits.get(0)));
        assertTrue(signedWith("whsec-second-value", hits.get(1)));
        assertFalse(signedWith("whsec-first-value", hits.get(1)));
        JsonNode meta = get("/api/v1/secrets/hook-hmac", ADMIN_TOKEN).json();
        assertEquals(2, meta.get("usage_count").asLong());
        assertEquals("channel:hook", queryOne("SELECT actor FROM secret_audit WHERE action = 'read'").get("actor"));
    }

    @Test
    void aReferenceToAMissingVaultSecretIsAProblemOfTheRoutingFile() {
        Problems problems = new Problems();
        catalog.parse(ConfigNode.parse("channels:\n  - {name: hook, type: webhook, url: \"http://127.0.0.1:9/\", "
                + "secret: \"${vault:not-there}\"}\n", "routing.yml", problems).get("channels"),
                new SecretValues(keys, vault, Map.of()));

        assertEquals(List.of("routing.yml:2 channels[0].secret: there is no vault secret \"not-there\": create it first "
                + "with POST /api/v1/secrets {\"name\": \"not-there\", \"type\": ..., \"value\": ...}"),
                problems.list().stream().map(Object::toString).toList());
    }

    private static NotificationMessage message() {
        return io.vigil.server.notify.ChannelFixture.firing();
    }

    private static boolean signedWith(String secret, Receiver.Hit hit) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((hit.header("X-Vigil-Timestamp") + ".").getBytes(StandardCharsets.UTF_8));
        return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(hit.body()))).equals(hit.header("X-Vigil-Signature"));
    }

    // ---- keys --------------------------------------------------------------------------------------

    @Test
    void reencryptMovesEveryValueToTheNewKeyAndTheOldKeyCanThenBeDropped() {
        MutableClock clock = new MutableClock(T0);
        Vault v = vaultAt(clock);
        v.create("a", SecretType.OTHER, "value-a", null, "admin");
        v.create("b", SecretType.API_KEY, "value-b1", null, "admin");
        v.rotate("b", "value-b2", Duration.ofDays(7), null, "admin");
        byte[] k2 = "the-new-key-of-the-vault-spec!!!".getBytes(StandardCharsets.US_ASCII);
        Map<String, byte[]> both = new LinkedHashMap<>();
        both.put("k2", k2);
        both.put("spec", Base64.getDecoder().decode(VAULT_KEY.substring("spec:".length())));
        Vault rotatedKeys = vaultAt(clock, new Keyring("k2", both, null));

        Reencryption.Result r = rotatedKeys.reencrypt("vault reencrypt");

        assertEquals(new Reencryption.Result(2, 3, "k2"), r);
        assertEquals(0, count("SELECT count(*) FROM secrets WHERE key_id <> 'k2' OR previous_key_id <> 'k2'"));
        assertEquals(2, count("SELECT count(*) FROM secret_audit WHERE action = 'reencrypted'"));
        Vault onlyNewKey = vaultAt(clock, new Keyring("k2", Map.of("k2", k2), null));
        assertEquals("value-a", onlyNewKey.current("a", "spec").reveal());
        assertEquals(List.of("value-b2", "value-b1"), reveal(onlyNewKey.validValues("b", "spec")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.current("a", "spec"));
        assertTrue(e.getMessage().contains("encrypted with key id \"k2\", which this server does not have (it has spec)"),
                e.getMessage());
        assertEquals(new Reencryption.Result(0, 0, "k2"), rotatedKeys.reencrypt("vault reencrypt"), "nothing left");
    }

    @Test
    void theVaultReencryptCommandRunsWithoutAServer() throws Exception {
        create("cli", "other", "value-cli");
        Path dir = Files.createTempDirectory("vigil-vault-cli-");
        Path keyFile = dir.resolve("vault.key");
        String k2 = Base64.getEncoder().encodeToString("the-cli-key-of-the-vault-spec!!!".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(keyFile, "k2:" + k2 + "\n" + VAULT_KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = VaultCommand.run(new String[] {"reencrypt", "--datasources.default.url=" + pg.jdbcUrl(),
                "--vigil.vault.key-file=" + keyFile}, new PrintStream(out, true), new PrintStream(err, true));

        assertEquals(0, status, err.toString());
        assertTrue(out.toString().startsWith("re-encrypted 1 values of 1 secrets under key k2"), out.toString());
        assertEquals("k2", queryOne("SELECT key_id FROM secrets WHERE name = 'cli'").get("key_id"));
        assertEquals("vault reencrypt", queryOne("SELECT actor FROM secret_audit WHERE action = 'reencrypted'").get("actor"));
        assertFalse(out.toString().contains(k2) || err.toString().contains(k2));
    }

    @Test
    void theReencryptCommandWithoutArgumentsPrintsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertEquals(2, VaultCommand.run(new String[0], new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true)));
        assertTrue(err.toString().startsWith("usage: vigil-server vault reencrypt"));
    }

    // ---- expiry ------------------------------------------------------------------------------------

    @Test
    void anExpiringSecretRaisesOneEventPerExpiryDateAndOneWhenExpired() {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Vault v = vaultAt(clock);
        Instant expiry = clock.instant().plus(Duration.ofDays(3));
        v.create("tg", SecretType.NOTIFICATION_TOKEN, "tg-token", expiry, "admin");
        v.create("far", SecretType.OTHER, "far-value", clock.instant().plus(Duration.ofDays(30)), "admin");
        v.create("never", SecretType.OTHER, "never-value", null, "admin");
        SecretExpiryCheck check = new SecretExpiryCheck(transactions, events, Duration.ofDays(7), clock);

        assertEquals(1, check.check().size());
        assertEquals(0, check.check().size(), "a second run (or another replica) does not repeat it");
        clock.advance(Duration.ofDays(3));
        assertEquals(1, check.check().size());
        assertEquals(0, check.check().size());

        List<Map<String, Object>> stored = query("SELECT type, severity, subject, agent_id, attributes::text AS a "
                + "FROM events WHERE plugin = 'server' ORDER BY time, type DESC");
        assertEquals(2, stored.size(), stored.toString());
        assertEquals("server.secret.expiring", stored.get(0).get("type"));
        assertEquals(2, stored.get(0).get("severity"), "medium");
        assertEquals("tg", stored.get(0).get("subject"));
        assertNull(stored.get(0).get("agent_id"));
        assertTrue(((String) stored.get(0).get("a")).contains("\"expires_at\": \"" + expiry + "\""), stored.toString());
        assertEquals("server.secret.expired", stored.get(1).get("type"));
        assertEquals(3, stored.get(1).get("severity"), "high");
        assertEquals(List.of("created", "expiring_notified", "expired_notified"), auditActions("tg"));
    }

    @Test
    void rotatingWithANewExpiryReArmsTheWarning() {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Vault v = vaultAt(clock);
        v.create("tg", SecretType.NOTIFICATION_TOKEN, "tg-token", clock.instant().plus(Duration.ofDays(2)), "admin");
        SecretExpiryCheck check = new SecretExpiryCheck(transactions, events, Duration.ofDays(7), clock);
        assertEquals(1, check.check().size());

        v.rotate("tg", "tg-token-2", Duration.ZERO, clock.instant().plus(Duration.ofDays(5)), "admin");

        assertEquals(1, check.check().size());
        assertEquals(0, check.check().size());
    }

    @Test
    void theDefaultRulesAlertOnAnExpiringSecretAndARotationResolvesTheAlert() throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Vault v = vaultAt(clock);
        v.create("ruled", SecretType.API_KEY, "ak-ruled", clock.instant().plus(Duration.ofDays(1)), "admin");
        new SecretExpiryCheck(transactions, events, Duration.ofDays(7), clock).check();

        JsonNode firing = awaitAlert("firing");
        assertEquals("server:vault-secret:ruled", firing.get("fingerprint").asText());
        v.rotate("ruled", "ak-ruled-2", Duration.ofDays(1), clock.instant().plus(Duration.ofDays(90)), "admin");

        awaitAlert("resolved");
        assertEquals(1, count("SELECT count(*) FROM events WHERE type = 'server.secret.rotated' AND subject = 'ruled'"));
    }

    private JsonNode awaitAlert(String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode alerts = get("/api/v1/alerts?rule=vault-secret-expiring&state=" + state, ADMIN_TOKEN).json()
                    .get("alerts");
            for (JsonNode a : alerts) {
                if (a.get("fingerprint").asText().equals("server:vault-secret:ruled")) {
                    return a;
                }
            }
            assertTrue(System.nanoTime() < deadline, "no " + state + " vault-secret-expiring alert: " + alerts);
            Thread.sleep(100);
        }
    }

    // ---- logs ----------------------------------------------------------------------------------------

    @Test
    void neitherSecretValuesNorTheKeyAppearInTheLogs() {
        String value = "very-secret-value-for-the-log-test-91c2";
        String keyBase64 = VAULT_KEY.substring("spec:".length());
        try (LogCapture logs = new LogCapture()) {
            assertEquals(201, create("logged", "api_key", value).status());
            assertEquals(409, create("logged", "api_key", value).status());
            assertEquals(400, postJson("/api/v1/secrets", ADMIN_TOKEN, "{\"name\": \"bad name\", \"type\": \"api_key\", "
                    + "\"value\": \"" + value + "\"}").status());
            vault.current("logged", "spec");
            postJson("/api/v1/secrets/logged/rotate", ADMIN_TOKEN, "{\"value\": \"" + value + "-2\"}");
            vault.validValues("logged", "spec");
            execute("UPDATE secrets SET ciphertext = 'enc:v2:spec:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' "
                    + "WHERE name = 'logged'");
            assertThrows(IllegalStateException.class, () -> vault.current("logged", "spec"));
            get("/api/v1/secrets", ADMIN_TOKEN);
            delete("/api/v1/secrets/logged", ADMIN_TOKEN);

            String text = logs.text();
            assertFalse(text.contains(value), text);
            assertFalse(text.contains(keyBase64), text);
        }
        assertEquals(0, count("SELECT count(*) FROM secret_audit WHERE detail LIKE ?", "%" + value + "%"));
    }

    private static List<String> reveal(List<Secret> secrets) {
        return secrets.stream().map(Secret::reveal).toList();
    }
}
