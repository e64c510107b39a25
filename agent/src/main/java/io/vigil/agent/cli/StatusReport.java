package io.vigil.agent.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.agent.config.AgentConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

/**
 * {@code vigil-agent status}: asks the running agent's loopback endpoint for its counters and
 * prints them; when no agent answers, says so and reports what the spool on disk holds.
 */
final class StatusReport {

    private StatusReport() {
    }

    static int print(AgentConfig config, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        if (config.listen() == null) {
            err.println("agent.listen is off in " + config.file() + ": the agent publishes no status");
            return 1;
        }
        String host = config.listen().getHostString().equals("0.0.0.0") ? "127.0.0.1" : config.listen().getHostString();
        URI uri = URI.create("http://" + host + ":" + config.listen().getPort() + "/status");
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            out.println(indent(response.body()));
            return response.statusCode() == 200 ? 0 : 1;
        } catch (IOException e) {
            err.println("no agent answers on " + uri + " (" + e.getClass().getSimpleName() + "): is vigil-agent running?");
            var spool = config.stateDir().resolve("spool.db");
            if (Files.exists(spool)) {
                err.println("spool file " + spool + " is " + Files.size(spool) + " bytes");
            }
            return 3;
        }
    }

    /** Pretty-prints JSON with two-space indentation, without a data-binding library. */
    private static String indent(String json) throws IOException {
        StringBuilder out = new StringBuilder();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            int depth = 0;
            JsonToken t;
            boolean fieldPending = false;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        out.append("  ".repeat(depth)).append(p.getCurrentName()).append(": ");
                        fieldPending = true;
                        continue;
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (!fieldPending) {
                            out.append("  ".repeat(depth));
                        }
                        out.append('\n');
                        depth++;
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    default -> {
                        if (!fieldPending) {
                            out.append("  ".repeat(depth));
                        }
                        out.append(p.getText()).append('\n');
                    }
                }
                fieldPending = false;
            }
        }
        return out.toString().stripTrailing();
    }
}
