package io.vigil.embeddedpg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs in a separate JVM that the test then kills with SIGKILL: starts a server, writes a row,
 * reports the postmaster pid on stdout and waits to be killed, never calling close().
 */
public final class OrphaningMain {

    static final String DATABASE = "orphan";
    static final String ROW = "written before the JVM died";
    private static final String READY = "READY ";

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.start(Path.of(args[0]), 0);
        pg.createDatabaseIfMissing(DATABASE);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DATABASE)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v text)");
            s.execute("INSERT INTO t VALUES ('" + ROW + "')");
        }
        System.out.println(READY + pg.pid());
        System.out.flush();
        // Bounded so a forgotten child cannot linger forever if the test JVM itself dies.
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }

    /** Waits for the child's READY line and returns the postmaster pid it reports. */
    static long awaitReady(Process child, int timeoutSeconds, Path childLog) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.startsWith(READY)) {
                        return l.substring(READY.length()).trim();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String pid;
        try {
            pid = line.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            pid = null;
        }
        if (pid == null) {
            throw new AssertionError("child JVM did not report READY; its log:\n" + Files.readString(childLog));
        }
        return Long.parseLong(pid);
    }
}
