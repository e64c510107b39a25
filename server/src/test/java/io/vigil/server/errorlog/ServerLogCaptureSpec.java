package io.vigil.server.errorlog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vigil.server.ServerSpec;
import io.vigil.server.event.ServerEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's own WARN and ERROR lines land in the error log; the capture never recurses and
 * drops (counted) rather than block. Flushing is driven by the specification (the interval is 1 h).
 */
@MicronautTest(transactional = false)
class ServerLogCaptureSpec extends ServerSpec {

    static final String PROBE = "io.vigil.server.spec.CaptureProbe";
    private static final Logger PROBE_LOG = LoggerFactory.getLogger(PROBE);

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vigil.errors.capture.flush-interval", "1h", "vigil.errors.capture.queue-size", "5");
    }

    private ServerLogCapture capture() {
        return server.getApplicationContext().getBean(ServerLogCapture.class);
    }

    private double dropped(String reason) {
        return server.getApplicationContext().getBean(MeterRegistry.class)
                .counter("vigil.errors.dropped", "reason", reason).count();
    }

    @BeforeEach
    void empty() {
        capture().flush();
        execute("TRUNCATE error_groups CASCADE");
    }

    @Test
    void aServerWarningWithItsExceptionIsRecordedAsOneGroup() {
        for (int order = 41; order <= 43; order++) {
            PROBE_LOG.warn("settling order {} failed", order, new IllegalStateException("order " + order + " locked"));
        }
        capture().flush();
        Map<String, Object> g = queryOne("SELECT * FROM error_groups WHERE component = ?", PROBE);
        String host = server.getApplicationContext().getBean(ServerEvents.class).host();
        assertEquals("server:" + host, g.get("source"));
        assertEquals(0, ((Number) g.get("severity")).intValue()); // warn
        assertEquals("java.lang.IllegalStateException", g.get("exception_type"));
        assertEquals("settling order 43 failed", g.get("message"));
        assertTrue(((String) g.get("stack")).contains("ServerLogCaptureSpec.aServerWarningWithItsExceptionIsRecorded"),
                (String) g.get("stack"));
        assertEquals(3L, g.get("occurrences"));
    }

    @Test
    void anErrorWithoutExceptionIsGroupedByItsNormalisedMessage() {
        PROBE_LOG.error("agent 17 sent 3 bad batches");
        PROBE_LOG.error("agent 18 sent 12 bad batches");
        PROBE_LOG.info("not recorded: below WARN");
        capture().flush();
        Map<String, Object> g = queryOne("SELECT * FROM error_groups WHERE component = ?", PROBE);
        assertEquals(1, ((Number) g.get("severity")).intValue()); // error
        assertEquals(2L, g.get("occurrences"));
        assertEquals(1, count("SELECT count(*) FROM error_groups WHERE component = ?", PROBE));
    }

    @Test
    void linesOfTheErrorLogItselfAreNotRecorded() {
        LoggerFactory.getLogger(ErrorLog.class).error("the error log failing must not feed itself",
                new IllegalStateException("loop"));
        capture().flush();
        assertEquals(0, count("SELECT count(*) FROM error_groups WHERE component LIKE 'io.vigil.server.errorlog.%'"));
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() {
        double before = dropped("queue_full");
        for (int i = 0; i < 8; i++) {
            PROBE_LOG.warn("burst line {}", i);
        }
        assertEquals(before + 3, dropped("queue_full"));
        capture().flush();
        assertEquals(5, count("SELECT occurrences FROM error_groups WHERE component = ?", PROBE));
    }

    @Test
    void aFailedWriteDropsItsLinesCountsThemAndCapturesNothingOfItsOwnFailure() {
        double before = dropped("write_failed");
        PROBE_LOG.warn("written while the table is away");
        execute("ALTER TABLE error_groups RENAME TO error_groups_away");
        try {
            capture().flush();
        } finally {
            execute("ALTER TABLE error_groups_away RENAME TO error_groups");
        }
        assertEquals(before + 1, dropped("write_failed"));
        // whatever the failed write logged was not queued for the next flush
        capture().flush();
        assertEquals(0, count("SELECT count(*) FROM error_groups"));
    }
}
