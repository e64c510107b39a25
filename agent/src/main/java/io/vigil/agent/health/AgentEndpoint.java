package io.vigil.agent.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.agent.schedule.MonitorStats;
import io.vigil.agent.ship.ShipStats;
import io.vigil.agent.ship.WireJson;
import io.vigil.agent.spool.Spool;
import io.vigil.api.VigilApi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's own HTTP endpoint, on loopback by default: {@code /health} (JSON, 200 while the
 * agent can spool), {@code /metrics} (Prometheus text format) and {@code /status} (JSON read by
 * {@code vigil-agent status}). The JDK's HTTP server is enough for three small read-only pages and
 * costs the agent no dependency.
 */
public final class AgentEndpoint implements AutoCloseable {


    private final HttpServer server;
    private final AgentView view;

    /** What the endpoint reports, read at request time. */
    public record AgentView(String agentName, String version, String sessionId, Spool spool, ShipStats ship,
                            Supplier<Map<String, MonitorStats>> monitors, Supplier<Map<String, String>> plugins) {
    }

    private AgentEndpoint(HttpServer server, AgentView view) {
        this.server = server;
        this.view = view;
    }

    /** Starts listening on {@code address}; port 0 picks a free port. */
    public static AgentEndpoint start(InetSocketAddress address, AgentView view) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        AgentEndpoint endpoint = new AgentEndpoint(server, view);
        server.createContext("/health", e -> endpoint.reply(e, "application/json", endpoint.health()));
        server.createContext("/metrics", e -> endpoint.reply(e, "text/plain; version=0.0.4; charset=utf-8",
                PrometheusText.render(view).getBytes(StandardCharsets.UTF_8)));
        server.createContext("/status", e -> endpoint.reply(e, "application/json", endpoint.status()));
        server.start();
        return endpoint;
    }

    /** The bound address (with the real port when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void reply(HttpExchange exchange, String type, byte[] body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private byte[] health() {
        return WireJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("status", "UP");
            g.writeNumberField("spool_items", view.spool().depth());
            g.writeStringField("last_ship_error", view.ship().lastError());
            g.writeEndObject();
        });
    }

    private byte[] status() {
        return WireJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("agent", view.agentName());
            g.writeStringField("version", view.version());
            g.writeStringField("spi", VigilApi.VERSION);
            g.writeStringField("session_id", view.sessionId());
            g.writeObjectFieldStart("spool");
            g.writeNumberField("items", view.spool().depth());
            g.writeNumberField("bytes", view.spool().bytes());
            g.writeNumberField("dropped_events", view.spool().droppedEvents());
            g.writeNumberField("dropped_metrics", view.spool().droppedMetrics());
            g.writeNumberField("dead_lettered", view.spool().deadLettered());
            g.writeBooleanField("damaged_file_moved_aside", view.spool().recoveredFromDamage());
            g.writeEndObject();
            g.writeObjectFieldStart("shipping");
            g.writeNumberField("shipped_events", view.ship().shippedEvents());
            g.writeNumberField("shipped_metrics", view.ship().shippedMetrics());
            g.writeNumberField("batches", view.ship().batches());
            g.writeNumberField("failed_attempts", view.ship().failedAttempts());
            g.writeNumberField("last_shipped_at_ms", view.ship().lastShippedAtMillis());
            g.writeStringField("last_error", view.ship().lastError());
            g.writeEndObject();
            g.writeObjectFieldStart("plugins");
            for (Map.Entry<String, String> p : view.plugins().get().entrySet()) {
                g.writeStringField(p.getKey(), p.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("monitors");
            for (Map.Entry<String, MonitorStats> m : view.monitors().get().entrySet()) {
                MonitorStats s = m.getValue();
                g.writeObjectFieldStart(m.getKey());
                g.writeStringField("plugin", s.plugin());
                g.writeNumberField("runs", s.runs());
                g.writeNumberField("failures", s.failures());
                g.writeNumberField("timeouts", s.timeouts());
                g.writeNumberField("skipped", s.skipped());
                g.writeNumberField("restarts", s.restarts());
                g.writeNumberField("emitted_events", s.emittedEvents());
                g.writeNumberField("emitted_metrics", s.emittedMetrics());
                g.writeStringField("last_error", s.lastError());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }


    @Override
    public void close() {
        server.stop(0);
    }
}
