package io.vigil.e2e;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.server.testing.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The real Vigil server (Micronaut, Flyway, PostgreSQL) in this JVM on a fixed free port, so it
 * can be stopped and started again at the same address while an agent keeps running.
 */
final class VigilServerUnderTest implements AutoCloseable {

    static final String AGENT_TOKEN = "e2e-agent-token-0123456789abcdef0123456789abcdef";
    static final String ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef0123456789abcdef";
    /** The server does not start without a vault key: {@code <kid>:<base64 of 32 bytes>}. */
    static final String VAULT_KEY = "e2e:" + java.util.Base64.getEncoder().encodeToString(
            "vigil-e2e-vault-key-of-32-bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private final TestPostgres pg;
    private final int port;
    private ApplicationContext context;

    VigilServerUnderTest(TestPostgres pg) throws IOException {
        this.pg = pg;
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
        }
    }

    VigilServerUnderTest start() {
        Map<String, Object> props = new HashMap<>(pg.micronautProperties());
        props.put("micronaut.server.port", port);
        props.put("vigil.auth.admin-token", ADMIN_TOKEN);
        props.put("vigil.agents.bootstrap-token", AGENT_TOKEN);
        props.put("vigil.agents.bootstrap-name", "e2e-agent");
        props.put("vigil.vault.key", VAULT_KEY);
        context = ApplicationContext.run(EmbeddedServer.class, props).getApplicationContext();
        return this;
    }

    void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
