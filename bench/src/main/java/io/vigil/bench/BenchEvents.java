package io.vigil.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The synthetic events of the server benchmarks, made from their index so that the HTTP run and
 * the COPY run store the very same rows. Shaped like real ones: 20 hosts, 5 plugins, 30 types, a
 * skewed severity mix (70 % info, 15 % low, 10 % medium, 4 % high, 1 % critical), a title of
 * about 40 characters and three attributes; about 430 bytes of JSON each.
 */
final class BenchEvents {

    static final String[] PLUGINS = {"docker", "schema", "filesystem", "oracle", "vault"};
    static final String[] SEVERITIES = {"info", "low", "medium", "high", "critical"};

    private final Instant start;
    private final long spacingMicros;
    private final long idBase;

    /**
     * @param start         time of event 0
     * @param spacingMicros time between consecutive events
     */
    BenchEvents(Instant start, long spacingMicros) {
        this.start = start;
        this.spacingMicros = spacingMicros;
        this.idBase = start.toEpochMilli();
    }

    /** A UUIDv7-shaped id for event i: time-ordered like the agent's. */
    UUID id(long i) {
        long millis = idBase + i * spacingMicros / 1000;
        long msb = (millis << 16) | 0x7000L | (i & 0xFFFL);
        long lsb = 0x8000000000000000L | (i & 0x3FFFFFFFFFFFFFFFL);
        return new UUID(msb, lsb);
    }

    Instant time(long i) {
        return start.plusNanos(i * spacingMicros * 1000);
    }

    static int severity(long i) {
        long r = Long.remainderUnsigned(i * 2654435761L, 100);
        return r < 70 ? 0 : r < 85 ? 1 : r < 95 ? 2 : r < 99 ? 3 : 4;
    }

    static String host(long i) {
        return "host-" + (i % 20);
    }

    static String plugin(long i) {
        return PLUGINS[(int) (i % 5)];
    }

    static String type(long i) {
        return plugin(i) + ".event_" + (i % 30);
    }

    static String monitor(long i) {
        return plugin(i) + "-" + (i % 3);
    }

    static String subject(long i) {
        return "subject-" + (i % 500);
    }

    static String title(long i) {
        return "container subject-" + (i % 500) + " exited with code " + (i % 7);
    }

    static String attributes(long i) {
        return "{\"asset\":\"A" + (i % 50) + "\",\"exit_code\":" + (i % 7) + ",\"seq\":" + i + "}";
    }

    static String trace(long i) {
        return "trace-" + (i / 10);
    }

    /** Event i in the wire format. */
    String json(long i) {
        return "{\"id\":\"" + id(i) + "\",\"time\":\"" + time(i) + "\",\"host\":\"" + host(i) + "\",\"agent\":\""
                + host(i) + "\",\"monitor\":\"" + monitor(i) + "\",\"plugin\":\"" + plugin(i) + "\",\"type\":\""
                + type(i) + "\",\"severity\":\"" + SEVERITIES[severity(i)] + "\",\"subject\":\"" + subject(i)
                + "\",\"title\":\"" + title(i) + "\",\"attributes\":" + attributes(i) + ",\"fingerprint\":\"fp-"
                + (i % 1000) + "\",\"trace_id\":\"" + trace(i) + "\",\"session_id\":\"session-1\"}";
    }

    /** Events [from, from + n) as one gzip'd batch body. */
    byte[] batch(long from, int n) {
        StringBuilder b = new StringBuilder(n * 450).append("{\"events\":[");
        for (long i = from; i < from + n; i++) {
            if (i > from) {
                b.append(',');
            }
            b.append(json(i));
        }
        return gzip(b.append("]}").toString());
    }

    /** Event i as a CSV line for COPY events (id, time, agent_id, host, ... session_id). */
    String csv(long i, long agentId) {
        return id(i) + "," + time(i) + "," + agentId + "," + host(i) + "," + host(i) + "," + monitor(i) + ","
                + plugin(i) + "," + type(i) + "," + severity(i) + "," + subject(i) + "," + title(i) + ",\""
                + attributes(i).replace("\"", "\"\"") + "\",fp-" + (i % 1000) + "," + trace(i) + ",session-1\n";
    }

    static final String COPY = "COPY events (id, time, agent_id, host, agent, monitor, plugin, type, severity, subject, "
            + "title, attributes, fingerprint, trace_id, session_id) FROM STDIN WITH (FORMAT csv)";

    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
