package io.vigil.agent.ship;

import io.vigil.agent.spool.Spool;
import io.vigil.api.VigilApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the server at a fixed interval that this agent is alive, with its version, the plugins
 * loaded, the spool's depth and its own health ({@link AgentHealth}: status and reason, CPU,
 * memory, errors, last ship latency), so the server can alert on a silent or degraded agent, show a
 * backlog and keep the agent's health history. A heartbeat is not spooled: a missed one is replaced
 * by the next, and its absence is the signal.
 */
public final class Heartbeat implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final HttpClient http;
    private final URI uri;
    private final String authorization;
    private final Duration timeout;
    private final String agentName;
    private final String host;
    private final String version;
    private final String sessionId;
    private final Supplier<Map<String, String>> plugins;
    private final Supplier<Integer> monitors;
    private final Spool spool;
    private final AgentHealth health;
    private final Duration interval;
    private volatile boolean lastFailed;

    /**
     * @param health   checked once per heartbeat
     * @param interval how often the heartbeat is sent (the server uses it to judge silence)
     */
    public Heartbeat(URI serverUrl, String token, Duration timeout, String agentName, String host, String version,
                     String sessionId, Supplier<Map<String, String>> plugins, Supplier<Integer> monitors, Spool spool,
                     AgentHealth health, Duration interval) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        this.uri = serverUrl.resolve("/api/v1/heartbeat");
        this.authorization = "Bearer " + token;
        this.timeout = timeout;
        this.agentName = agentName;
        this.host = host;
        this.version = version;
        this.sessionId = sessionId;
        this.plugins = plugins;
        this.monitors = monitors;
        this.spool = spool;
        this.health = health;
        this.interval = interval;
    }

    /** The JSON body of one heartbeat; checks the agent's health (once per call). */
    byte[] body() {
        AgentHealth.Report report = health.check();
        return WireJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("agent", agentName);
            g.writeStringField("host", host);
            g.writeStringField("version", version);
            g.writeStringField("spi", VigilApi.VERSION);
            g.writeStringField("session_id", sessionId);
            g.writeStringField("time", Instant.now().toString());
            g.writeObjectFieldStart("plugins");
            for (Map.Entry<String, String> p : plugins.get().entrySet()) {
                g.writeStringField(p.getKey(), p.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("monitors", monitors.get());
            g.writeNumberField("spool_items", spool.depth());
            g.writeNumberField("spool_bytes", spool.bytes());
            g.writeNumberField("heartbeat_interval_ms", interval.toMillis());
            g.writeStringField("status", report.status().wireName());
            g.writeStringField("reason", report.reason());
            if (report.cpu() >= 0) {
                g.writeNumberField("cpu", report.cpu());
            }
            g.writeNumberField("memory_bytes", report.memoryBytes());
            g.writeNumberField("error_count", report.errorCount());
            if (report.latencyMs() >= 0) {
                g.writeNumberField("latency_ms", report.latencyMs());
            }
            g.writeEndObject();
        });
    }

    @Override
    public void run() {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body())).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            boolean failed = response.statusCode() / 100 != 2;
            if (failed && !lastFailed) {
                LOG.warn("heartbeat refused by {}: HTTP {}", uri, response.statusCode());
            }
            lastFailed = failed;
        } catch (IOException e) {
            // the shipper already reports an unreachable server; one line here is enough
            if (!lastFailed) {
                LOG.warn("heartbeat to {} failed: {}", uri, e.getClass().getSimpleName());
            }
            lastFailed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
