package io.vigil.server.errorlog;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.vigil.server.errorlog.ErrorReports.errors;
import static io.vigil.server.errorlog.ErrorReports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resolved groups go 30 days after their resolution; open ones stay; old hour rows go. */
@MicronautTest(transactional = false)
class ErrorRetentionSpec extends ServerSpec {

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.errors.capture.enabled", "false");
    }

    @Test
    void purgesOldResolvedGroupsWithTheirRowsAndKeepsOpenAndRecentlyResolvedOnes() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant old = now.minus(Duration.ofDays(60));
        for (String c : List.of("old-resolved", "recent-resolved", "old-open")) {
            postJson("/api/v1/errors", AGENT_TOKEN, errors(report(old, 2, Map.of("component", c)),
                    report(now.minusSeconds(60), 1, Map.of("component", c))));
        }
        long oldResolved = count("SELECT id FROM error_groups WHERE component = 'old-resolved'");
        long recentResolved = count("SELECT id FROM error_groups WHERE component = 'recent-resolved'");
        postJson("/api/v1/errors/" + oldResolved + "/resolve", ADMIN_TOKEN, "{}");
        postJson("/api/v1/errors/" + recentResolved + "/resolve", ADMIN_TOKEN, "{}");
        // resolved 31 days ago and 29 days ago
        execute("UPDATE error_groups SET resolved_at = now() - interval '31 days' WHERE id = " + oldResolved);
        execute("UPDATE error_groups SET resolved_at = now() - interval '29 days' WHERE id = " + recentResolved);

        ErrorRetention.Purged purged = server.getApplicationContext().getBean(ErrorRetention.class).purge(Instant.now());

        assertEquals(1, purged.groups());
        assertEquals(List.of("old-open", "recent-resolved"), query("SELECT component FROM error_groups ORDER BY 1")
                .stream().map(r -> r.get("component")).toList());
        assertEquals(0, count("SELECT count(*) FROM error_hourly WHERE group_id = ?", oldResolved));
        assertEquals(0, count("SELECT count(*) FROM error_activity WHERE group_id = ?", oldResolved));
        // the 60-day-old hour rows of the kept groups are gone; their totals stay
        assertEquals(2, purged.hourRows());
        assertEquals(0, count("SELECT count(*) FROM error_hourly WHERE hour < now() - interval '30 days'"));
        assertEquals(3, count("SELECT occurrences FROM error_groups WHERE component = 'old-open'"));
        assertEquals(1, count("SELECT h.occurrences FROM error_hourly h JOIN error_groups g ON g.id = h.group_id "
                + "WHERE g.component = 'old-open'"));
    }

    @Test
    void aReplicaThatDoesNotGetTheLockSkips() throws Exception {
        try (var c = pg.connect(); var st = c.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + ErrorRetention.LOCK_KEY + ")");
            ErrorRetention.Purged purged = server.getApplicationContext().getBean(ErrorRetention.class)
                    .purge(Instant.now());
            assertTrue(purged.skipped());
            st.execute("SELECT pg_advisory_unlock(" + ErrorRetention.LOCK_KEY + ")");
        }
    }
}
