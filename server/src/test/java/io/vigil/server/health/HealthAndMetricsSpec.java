package io.vigil.server.health;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class HealthAndMetricsSpec extends ServerSpec {

    @Test
    void healthIsUpWithoutDetailsForAnonymousCallers() {
        Response r = get("/health", null);

        assertEquals(200, r.status(), r.body());
        assertEquals("{\"status\":\"UP\"}", r.body());
        // the database's part in it: DatabaseDownSpec.healthIsDownWhileTheDatabaseIsDown
    }

    @Test
    void prometheusEndpointExposesIngestCounters() {
        double acceptedBefore = scrape("vigil_ingest_events_total", "outcome=\"accepted\"");
        double duplicateBefore = scrape("vigil_ingest_events_total", "outcome=\"duplicate\"");
        double invalidBefore = scrape("vigil_ingest_batches_total", "outcome=\"invalid\"");
        String body = events(event(Map.of()), event(Map.of()));

        ingest(body);
        ingest(body);
        ingest(events(event(Map.of("severity", "urgent"))));

        assertEquals(acceptedBefore + 2, scrape("vigil_ingest_events_total", "outcome=\"accepted\""));
        assertEquals(duplicateBefore + 2, scrape("vigil_ingest_events_total", "outcome=\"duplicate\""));
        assertEquals(invalidBefore + 1, scrape("vigil_ingest_batches_total", "outcome=\"invalid\""));
        assertTrue(scrape("vigil_ingest_rejected_items_total", "kind=\"event\"") >= 1);
    }

    @Test
    void otherManagementEndpointsAreClosed() {
        assertEquals(404, get("/beans", null).status());
        assertEquals(404, get("/env", null).status());
        assertEquals(404, get("/loggers", null).status());
    }

    @Test
    void errorsMicronautAnswersItselfAreProblemDetailsToo() {
        Response notFound = get("/api/v1/nothing-here", ADMIN_TOKEN);
        Response wrongType = send(request("/api/v1/ingest", AGENT_TOKEN).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")));

        assertEquals(404, notFound.status());
        assertEquals("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"Page Not Found\","
                + "\"error\":\"Page Not Found\"}", notFound.body());
        assertEquals(415, wrongType.status());
        assertEquals("{\"type\":\"about:blank\",\"title\":\"Unsupported Media Type\",\"status\":415,"
                + "\"detail\":\"Content Type [text/plain] not allowed. Allowed types: [application/json]\","
                + "\"error\":\"Content Type [text/plain] not allowed. Allowed types: [application/json]\"}",
                wrongType.body());
    }

    /** The value of one Prometheus sample, failing when the scrape does not contain it. */
    private double scrape(String metric, String label) {
        Response r = get("/prometheus", null);
        assertEquals(200, r.status(), r.body());
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{[^}]*" + Pattern.quote(label) + "[^}]*} (\\S+)$")
                .matcher(r.body());
        assertTrue(m.find(), metric + "{" + label + "} not in the scrape:\n" + r.body());
        return Double.parseDouble(m.group(1));
    }
}
