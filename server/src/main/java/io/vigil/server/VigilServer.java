package io.vigil.server;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.embeddedpg.EmbeddedPostgres;
import io.vigil.server.crypto.KeyringLoader;
import io.vigil.server.vault.VaultCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Starts the Vigil server.
 *
 * <p>With {@code --embedded-postgres} (or {@code -Dvigil.embedded-postgres.enabled=true}, or
 * {@code VIGIL_EMBEDDED_POSTGRES=true}) it first starts a private PostgreSQL, creates the database
 * {@code vigil} in it, points the server at it, and stops it after the server has stopped. The port
 * is {@code vigil.embedded-postgres.port} / {@code VIGIL_EMBEDDED_POSTGRES_PORT} (default 0: any
 * free port), the data directory {@code vigil.embedded-postgres.data-dir} /
 * {@code VIGIL_EMBEDDED_POSTGRES_DIR} (default: the embedded-postgres module's own).
 *
 * <p>Otherwise the database is {@code datasources.default.*}: {@code VIGIL_DB_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/vigil}), {@code VIGIL_DB_USER} (default
 * {@code postgres}), {@code VIGIL_DB_PASSWORD}.
 *
 * <p>{@code vault reencrypt} as the first arguments runs {@link VaultCommand} instead of the server.
 * The server does not start without a vault key ({@link io.vigil.server.crypto.KeyringLoader}).
 */
public final class VigilServer implements AutoCloseable {

    /** The command-line flag that starts a private PostgreSQL. */
    public static final String EMBEDDED_FLAG = "--embedded-postgres";
    /** The first argument of the vault's maintenance commands ({@code vault reencrypt}), which start no server. */
    public static final String VAULT_COMMAND = "vault";
    /** Name of the database created in the embedded PostgreSQL. */
    public static final String EMBEDDED_DATABASE = "vigil";

    private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);

    private final ApplicationContext context;
    private final @Nullable EmbeddedPostgres postgres;
    private final Thread shutdownHook;

    private VigilServer(ApplicationContext context, @Nullable EmbeddedPostgres postgres, Thread shutdownHook) {
        this.context = context;
        this.postgres = postgres;
        this.shutdownHook = shutdownHook;
    }

    public static void main(String[] args) throws IOException, SQLException {
        if (args.length > 0 && args[0].equals(VAULT_COMMAND)) {
            System.exit(VaultCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        try {
            KeyringLoader.load(args);
        } catch (IllegalStateException noUsableKey) {
            // before the database or anything else: one clear message, no stack trace
            System.err.println("vigil-server: not starting: " + noUsableKey.getMessage());
            System.exit(2);
        }
        start(args, System.getenv(), System.getProperties());
        // Netty's non-daemon threads keep the JVM alive; the shutdown hook stops everything.
    }

    /**
     * Starts the server as {@link #main} does, with the environment and system properties given
     * explicitly (tests and the end-to-end harness use this). {@link #close()} stops it.
     */
    public static VigilServer start(String[] args, Map<String, String> env, Properties system)
            throws IOException, SQLException {
        List<String> micronautArgs = new ArrayList<>(Arrays.asList(args));
        boolean embedded = micronautArgs.remove(EMBEDDED_FLAG)
                | isTrue(setting("vigil.embedded-postgres.enabled", "VIGIL_EMBEDDED_POSTGRES", args, env, system));

        Map<String, Object> properties = new HashMap<>();
        EmbeddedPostgres postgres = null;
        if (embedded) {
            postgres = startEmbedded(args, env, system);
            try {
                postgres.createDatabaseIfMissing(EMBEDDED_DATABASE);
            } catch (SQLException | RuntimeException e) {
                postgres.close();
                throw e;
            }
            properties.put("datasources.default.url", postgres.jdbcUrl(EMBEDDED_DATABASE));
            properties.put("datasources.default.username", "postgres");
            properties.put("datasources.default.password", "");
        }

        ShutdownOrder order = new ShutdownOrder(postgres);
        Thread hook = new Thread(order::run, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ApplicationContext context;
        try {
            // outside tests, Micronaut exits the JVM on a start-up failure (the hook then stops PostgreSQL)
            context = Micronaut.build(micronautArgs.toArray(String[]::new))
                    .mainClass(VigilServer.class)
                    .banner(false)
                    .properties(properties)
                    .start();
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            order.run();
            throw e;
        }
        order.context = context;
        return new VigilServer(context, postgres, hook);
    }

    /** The running Micronaut context. */
    public ApplicationContext context() {
        return context;
    }

    /** Where the HTTP server listens, e.g. {@code http://localhost:8080}. */
    public URI uri() {
        return context.getBean(EmbeddedServer.class).getURI();
    }

    /** The embedded PostgreSQL, when started with it. */
    public @Nullable EmbeddedPostgres embeddedPostgres() {
        return postgres;
    }

    /** Stops the server, then the embedded PostgreSQL if there is one. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
        ShutdownOrder order = new ShutdownOrder(postgres);
        order.context = context;
        order.run();
    }

    private static EmbeddedPostgres startEmbedded(String[] args, Map<String, String> env, Properties system)
            throws IOException {
        String portText = setting("vigil.embedded-postgres.port", "VIGIL_EMBEDDED_POSTGRES_PORT", args, env, system);
        String dir = setting("vigil.embedded-postgres.data-dir", "VIGIL_EMBEDDED_POSTGRES_DIR", args, env, system);
        int port;
        try {
            port = portText == null || portText.isBlank() ? 0 : Integer.parseInt(portText.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vigil.embedded-postgres.port must be a port number, got '"
                    + portText + "'", e);
        }
        EmbeddedPostgres pg = dir == null || dir.isBlank()
                ? EmbeddedPostgres.start(port)
                : EmbeddedPostgres.start(Path.of(dir.strip()), port);
        LOG.info("embedded PostgreSQL listening on port {}, data in {}", pg.port(), pg.dataDirectory());
        return pg;
    }

    /** A setting from {@code --key=value}, a system property or an environment variable, in that order. */
    private static @Nullable String setting(String key, String envName, String[] args, Map<String, String> env,
                                            Properties system) {
        for (String arg : args) {
            if (arg.startsWith("--" + key + "=")) {
                return arg.substring(key.length() + 3);
            }
        }
        String value = system.getProperty(key);
        return value != null ? value : env.get(envName);
    }

    private static boolean isTrue(@Nullable String value) {
        return value != null && value.strip().toLowerCase(Locale.ROOT).equals("true");
    }

    /** Closes the context first (the connection pool with it), then the database under it. */
    private static final class ShutdownOrder {
        private final @Nullable EmbeddedPostgres postgres;
        private volatile @Nullable ApplicationContext context;

        ShutdownOrder(@Nullable EmbeddedPostgres postgres) {
            this.postgres = postgres;
        }

        void run() {
            ApplicationContext ctx = context;
            try {
                if (ctx != null) {
                    // The same order and locks as Micronaut's own shutdown hook, which may be running
                    // concurrently: the HTTP server first (it stops the context in turn), then the
                    // context. Taking the context's lock first instead deadlocks against that hook.
                    // Graceful shutdown (application.yml) closes the listening socket and lets
                    // requests in flight finish before the connection pool closes.
                    if (ctx.isRunning()) {
                        try {
                            ctx.findBean(EmbeddedApplication.class).ifPresent(EmbeddedApplication::stop);
                        } catch (RuntimeException stoppedMeanwhile) {
                            // Micronaut's hook finished stopping it between the check and the call
                        }
                    }
                    ctx.close();
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                    LOG.info("embedded PostgreSQL stopped");
                }
            }
        }
    }
}
