package io.vigil.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.ship.ShipStats;
import io.vigil.agent.spool.ItemKind;
import io.vigil.agent.spool.Spool;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentEndpointTest {

    @TempDir
    Path dir;

    private static HttpResponse<String> get(AgentEndpoint endpoint, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + endpoint.address().getPort() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthPrometheusMetricsAndStatusOnLoopback() throws Exception {
        try (Spool spool = Spool.open(dir.resolve("spool.db"), 1 << 20)) {
            spool.append(ItemKind.EVENT, "{}".getBytes());
            spool.append(ItemKind.METRIC, "{}".getBytes());
            AgentEndpoint endpoint = AgentEndpoint.start(new InetSocketAddress("127.0.0.1", 0),
                    new AgentEndpoint.AgentView("web-1", "1.2.3", "session-9", spool, new ShipStats(),
                            Map::of, () -> Map.of("example", "0.1.0")));
            try {
                HttpResponse<String> health = get(endpoint, "/health");
                assertEquals(200, health.statusCode());
                assertEquals("{\"status\":\"UP\",\"spool_items\":2,\"last_ship_error\":\"\"}", health.body());

                HttpResponse<String> metrics = get(endpoint, "/metrics");
                assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
                assertTrue(metrics.body().contains("\nvigil_agent_spool_items 2\n"), metrics.body());
                assertTrue(metrics.body().contains("vigil_agent_info{version=\"1.2.3\"} 1"), metrics.body());
                assertTrue(metrics.body().contains("# TYPE vigil_agent_shipped_events_total counter"), metrics.body());

                HttpResponse<String> status = get(endpoint, "/status");
                assertTrue(status.body().contains("\"plugins\":{\"example\":\"0.1.0\"}"), status.body());
                assertTrue(status.body().contains("\"session_id\":\"session-9\""), status.body());
            } finally {
                endpoint.close();
            }
        }
    }
}
