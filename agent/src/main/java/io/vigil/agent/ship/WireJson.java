package io.vigil.agent.ship;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.api.Event;
import io.vigil.api.MetricSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The agent-to-server wire format (docs/api.md): each item is encoded once, when it is emitted,
 * and stored encoded in the spool; a batch body is then the stored bytes joined, with no second
 * serialisation on the shipping path.
 */
public final class WireJson {

    private static final JsonFactory JSON = new JsonFactory();

    private WireJson() {
    }

    /** One event as a JSON object with snake_case keys. */
    public static byte[] encode(Event e) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("id", e.id().toString());
            g.writeStringField("time", e.time().toString());
            g.writeStringField("host", e.host());
            g.writeStringField("agent", e.agent());
            g.writeStringField("monitor", e.monitor());
            g.writeStringField("plugin", e.plugin());
            g.writeStringField("type", e.type());
            g.writeStringField("severity", e.severity().wireName());
            g.writeStringField("subject", e.subject());
            g.writeStringField("title", e.title());
            g.writeFieldName("attributes");
            writeValue(g, e.attributes());
            g.writeStringField("fingerprint", e.fingerprint());
            g.writeStringField("trace_id", e.traceId());
            g.writeStringField("session_id", e.sessionId());
            g.writeEndObject();
        });
    }

    /** One metric sample as a JSON object. */
    public static byte[] encode(MetricSample s) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeNumberField("value", s.value());
            g.writeStringField("unit", s.unit());
            g.writeObjectFieldStart("labels");
            for (Map.Entry<String, String> l : s.labels().entrySet()) {
                g.writeStringField(l.getKey(), l.getValue());
            }
            g.writeEndObject();
            g.writeStringField("time", s.time().toString());
            g.writeEndObject();
        });
    }

    /** A request body: {@code {"events":[...],"metrics":[...]}} from already-encoded items. */
    public static void writeBatch(List<byte[]> events, List<byte[]> metrics, OutputStream out) throws IOException {
        out.write("{\"events\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        join(events, out);
        out.write("],\"metrics\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        join(metrics, out);
        out.write("]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static void join(List<byte[]> items, OutputStream out) throws IOException {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(items.get(i));
        }
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof java.math.BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof java.math.BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                g.writeFieldName((String) entry.getKey());
                writeValue(g, entry.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else {
            // Event's constructor admits only JSON values, so this is a bug in the SPI, not input
            throw new IllegalStateException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** Writes one JSON document with the generator it is given. */
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** A JSON document built in memory: the one way the agent writes JSON (items, heartbeat, endpoint pages). */
    public static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
