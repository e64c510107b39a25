package io.vigil.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.core.annotation.Nullable;
import io.vigil.server.error.ApiError;
import io.vigil.server.event.NewEvent;
import io.vigil.server.event.Severity;
import io.vigil.server.metric.NewSample;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks every item of a parsed batch against the wire format and converts the valid ones.
 * All problems are collected, each with the JSON path of the offending value, so an agent author
 * sees every mistake from one response; a batch with any problem is refused whole.
 */
final class BatchValidator {

    /** Dotted lower-case words, for event types and metric names. */
    static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");
    static final Pattern LABEL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final int MAX_TYPE = 128;
    static final int MAX_TEXT = 1024;
    static final int MAX_IDENTIFIER = 255;
    static final int MAX_UNIT = 64;
    /** Problems listed in one response; a batch with more says how many were left out. */
    static final int MAX_LISTED_PROBLEMS = 1000;

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /**
     * Types and metric names seen valid before: a batch repeats a handful of them hundreds of
     * times, and the regular expression is the costliest check per item. Bounded, then emptied.
     */
    private static final Set<String> KNOWN_DOTTED = ConcurrentHashMap.newKeySet();
    private static final int KNOWN_DOTTED_LIMIT = 10_000;

    private BatchValidator() {
    }

    /**
     * @param latest the latest time an item may carry (the server clock plus
     *               {@code vigil.ingest.max-future}); later ones are problems
     * @throws BatchRejectedException.Invalid listing every problem, when there is any
     */
    static ValidBatch validate(BatchParser.RawBatch raw, Instant latest) {
        Problems problems = new Problems(raw.problems());
        List<NewEvent> events = new ArrayList<>(raw.events().size());
        for (int i = 0; i < raw.events().size(); i++) {
            NewEvent e = event(new Item("events[" + i + "]", raw.events().get(i), problems, latest));
            if (e != null) {
                events.add(e);
            }
        }
        List<NewSample> samples = new ArrayList<>(raw.metrics().size());
        for (int i = 0; i < raw.metrics().size(); i++) {
            NewSample s = sample(new Item("metrics[" + i + "]", raw.metrics().get(i), problems, latest));
            if (s != null) {
                samples.add(s);
            }
        }
        if (problems.count() > 0) {
            throw new BatchRejectedException.Invalid(problems.listed(), raw.events().size(), raw.metrics().size());
        }
        return new ValidBatch(events, samples);
    }

    private static @Nullable NewEvent event(Item item) {
        if (!item.isObject()) {
            return null;
        }
        UUID id = item.uuid("id");
        Instant time = item.time("time");
        String host = item.text("host", MAX_IDENTIFIER, false);
        String agent = item.text("agent", MAX_IDENTIFIER, false);
        String monitor = item.text("monitor", MAX_IDENTIFIER, false);
        String plugin = item.text("plugin", MAX_IDENTIFIER, false);
        String type = item.dotted("type");
        Severity severity = item.severity("severity");
        String subject = item.text("subject", MAX_TEXT, false);
        String title = item.text("title", MAX_TEXT, false);
        String attributes = item.attributes("attributes");
        String fingerprint = item.text("fingerprint", MAX_TEXT, false);
        String traceId = item.text("trace_id", MAX_IDENTIFIER, false);
        String sessionId = item.text("session_id", MAX_IDENTIFIER, false);
        if (item.failed()) {
            return null;
        }
        return new NewEvent(id, time, host, agent, monitor, plugin, type, severity,
                subject == null ? "" : subject, title == null ? "" : title, attributes, fingerprint, traceId,
                sessionId);
    }

    private static @Nullable NewSample sample(Item item) {
        if (!item.isObject()) {
            return null;
        }
        String name = item.dotted("name");
        Double value = item.finiteNumber("value");
        String unit = item.text("unit", MAX_UNIT, false);
        String labels = item.labels("labels");
        Instant time = item.time("time");
        if (item.failed()) {
            return null;
        }
        return new NewSample(name, unit == null ? "" : unit, labels, time, value);
    }

    /**
     * The valid content of a batch.
     *
     * @param events  in batch order
     * @param samples in batch order
     */
    record ValidBatch(List<NewEvent> events, List<NewSample> samples) {
    }

    /** All problems of one batch; keeps the first {@link #MAX_LISTED_PROBLEMS}. */
    private static final class Problems {
        private final List<ApiError.Item> listed = new ArrayList<>();
        private int count;

        Problems(List<ApiError.Item> initial) {
            initial.forEach(i -> add(i.path(), i.message()));
        }

        void add(String path, String message) {
            count++;
            if (listed.size() < MAX_LISTED_PROBLEMS) {
                listed.add(new ApiError.Item(path, message));
            }
        }

        int count() {
            return count;
        }

        List<ApiError.Item> listed() {
            if (count <= listed.size()) {
                return listed;
            }
            List<ApiError.Item> all = new ArrayList<>(listed);
            all.add(new ApiError.Item("", (count - listed.size()) + " more problems not listed"));
            return all;
        }
    }

    /** One item of the batch being checked, with the helpers that read and check its fields. */
    private static final class Item {
        private final String path;
        private final Object value;
        private final Problems problems;
        private final Instant latest;
        private boolean failed;

        Item(String path, Object value, Problems problems, Instant latest) {
            this.path = path;
            this.value = value;
            this.problems = problems;
            this.latest = latest;
        }

        boolean failed() {
            return failed;
        }

        private void problem(String field, String message) {
            failed = true;
            problems.add(field.isEmpty() ? path : path + "." + field, message);
        }

        boolean isObject() {
            if (value instanceof Map) {
                return true;
            }
            problem("", "expected an object, got " + kind(value));
            return false;
        }

        private @Nullable Object get(String field) {
            return ((Map<?, ?>) value).get(field);
        }

        /** A string field, or {@code null} when absent/null and not required. */
        @Nullable String text(String field, int maxLength, boolean required) {
            Object v = get(field);
            if (v == null) {
                if (required) {
                    problem(field, field + " is required");
                }
                return null;
            }
            if (!(v instanceof String s)) {
                problem(field, field + " must be a string, got " + kind(v));
                return null;
            }
            if (s.length() > maxLength) {
                problem(field, field + " is " + s.length() + " characters, the limit is " + maxLength);
                return null;
            }
            if (s.indexOf('\0') >= 0) {
                problem(field, nulMessage(field));
                return null;
            }
            return s;
        }

        @Nullable UUID uuid(String field) {
            String s = text(field, Integer.MAX_VALUE, true);
            if (s == null) {
                return null;
            }
            if (!isUuidText(s)) {
                problem(field, field + " must be a UUID (version 7 expected) such as "
                        + "0190f5a2-7c4e-7d3a-9b1e-2f4c6a8b0d12, got \"" + shorten(s) + "\"");
                return null;
            }
            return UUID.fromString(s);
        }

        @Nullable Instant time(String field) {
            Object v = get(field);
            if (v == null) {
                problem(field, field + " is required: an ISO-8601 UTC time such as 2026-11-27T10:00:00.123Z");
                return null;
            }
            if (!(v instanceof String s)) {
                problem(field, field + " must be an ISO-8601 time string such as 2026-11-27T10:00:00.123Z, got "
                        + kind(v));
                return null;
            }
            try {
                Instant instant = UtcTimes.parse(s);
                if (instant == null) { // not the common UTC form: the general parser
                    OffsetDateTime t = OffsetDateTime.parse(s);
                    if (t.getYear() < 1 || t.getYear() > 9999) {
                        problem(field, field + " must be between the years 1 and 9999, got \"" + s + "\"");
                        return null;
                    }
                    instant = t.toInstant();
                }
                if (instant.isAfter(latest)) {
                    // a wrong host clock, not data worth keeping: it would sit in the future and
                    // outlive its real age in the DEFAULT partition
                    problem(field, field + " \"" + shorten(s) + "\" is ahead of the server clock by more than "
                            + "vigil.ingest.max-future (at most " + latest + " is accepted): fix the clock of "
                            + "the host that made it");
                    return null;
                }
                return instant;
            } catch (DateTimeParseException e) {
                problem(field, field + " must be an ISO-8601 time with offset such as 2026-11-27T10:00:00.123Z, "
                        + "got \"" + shorten(s) + "\"");
                return null;
            }
        }

        @Nullable String dotted(String field) {
            String s = text(field, MAX_TYPE, true);
            if (s == null || KNOWN_DOTTED.contains(s)) {
                return s;
            }
            if (TYPE.matcher(s).matches()) {
                if (KNOWN_DOTTED.size() >= KNOWN_DOTTED_LIMIT) {
                    KNOWN_DOTTED.clear();
                }
                KNOWN_DOTTED.add(s);
            } else {
                problem(field, field + " must be dotted lower-case words such as docker.container.died "
                        + "(pattern [a-z][a-z0-9_]*(\\.[a-z0-9_]+)*), got \"" + shorten(s) + "\"");
                return null;
            }
            return s;
        }

        @Nullable Severity severity(String field) {
            String s = text(field, Integer.MAX_VALUE, true);
            if (s == null) {
                return null;
            }
            Severity severity = Severity.fromWireName(s).orElse(null);
            if (severity == null) {
                problem(field, "unknown severity \"" + shorten(s) + "\": expected one of " + Severity.NAMES);
            }
            return severity;
        }

        @Nullable Double finiteNumber(String field) {
            Object v = get(field);
            if (v == null) {
                problem(field, field + " is required: a finite number");
                return null;
            }
            if (!(v instanceof Number n)) {
                problem(field, field + " must be a number, got " + kind(v));
                return null;
            }
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                problem(field, field + " must be a finite number; " + shorten(n.toString()) + " is out of range");
                return null;
            }
            return d;
        }

        /** The attributes object as JSON text ({@code {}} when absent). */
        @Nullable String attributes(String field) {
            Object v = get(field);
            if (v == null) {
                return "{}";
            }
            if (!(v instanceof Map<?, ?> map)) {
                problem(field, field + " must be a JSON object, got " + kind(v));
                return null;
            }
            if (!checkStorable(new JsonPath(null, field, -1), map)) {
                return null;
            }
            return toJson(map);
        }

        /** The labels as JSON text with sorted keys ({@code {}} when absent). */
        @Nullable String labels(String field) {
            Object v = get(field);
            if (v == null) {
                return "{}";
            }
            if (!(v instanceof Map<?, ?> map)) {
                problem(field, field + " must be an object of label names to string values, got " + kind(v));
                return null;
            }
            TreeMap<String, Object> sorted = new TreeMap<>();
            boolean ok = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = (String) e.getKey();
                String at = field + member(key);
                if (key.length() > MAX_TYPE || !LABEL_NAME.matcher(key).matches()) {
                    problem(at, "label name \"" + shorten(key) + "\" must match [a-z_][a-z0-9_]* (at most "
                            + MAX_TYPE + " characters)");
                    ok = false;
                } else if (!(e.getValue() instanceof String s)) {
                    problem(at, "label value must be a string, got " + kind(e.getValue()));
                    ok = false;
                } else if (s.length() > MAX_TEXT) {
                    problem(at, "label value is " + s.length() + " characters, the limit is " + MAX_TEXT);
                    ok = false;
                } else if (s.indexOf('\0') >= 0) {
                    problem(at, nulMessage("label value"));
                    ok = false;
                } else {
                    sorted.put(key, s);
                }
            }
            return ok ? toJson(sorted) : null;
        }

        /**
         * Reports every value under {@code at} that jsonb cannot hold: strings or keys with NUL,
         * numbers beyond PostgreSQL's numeric range. True when there is none. The path of a value
         * is spelled out only when it has a problem (it is a chain of {@link JsonPath} links).
         */
        private boolean checkStorable(JsonPath at, Object v) {
            boolean ok = true;
            if (v instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String key = (String) e.getKey();
                    if (key.indexOf('\0') >= 0) {
                        problem(at.toString(), nulMessage("a key"));
                        ok = false;
                    } else {
                        ok &= checkStorable(new JsonPath(at, key, -1), e.getValue());
                    }
                }
            } else if (v instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    ok &= checkStorable(new JsonPath(at, null, i), list.get(i));
                }
            } else if (v instanceof String s && s.indexOf('\0') >= 0) {
                problem(at.toString(), nulMessage("the value"));
                ok = false;
            } else if (v instanceof BigDecimal d && (d.scale() > 16383 || d.precision() - d.scale() > 131072)) {
                problem(at.toString(), "the number " + shorten(d.toString()) + " is beyond the range PostgreSQL can store");
                ok = false;
            }
            return ok;
        }
    }

    /**
     * A position inside an item's field: the field itself ({@code parent == null}, {@code key} the
     * field name), a member of an object ({@code key}) or an element of an array ({@code index}).
     */
    private record JsonPath(JsonPath parent, String key, int index) {
        @Override
        public String toString() {
            if (parent == null) {
                return key;
            }
            return parent + (key != null ? member(key) : "[" + index + "]");
        }
    }

    private static String nulMessage(String what) {
        return what + " contains the character \\u0000, which PostgreSQL cannot store";
    }

    /** The 8-4-4-4-12 hexadecimal form of a UUID (what {@link #UUID_TEXT} matches), checked by hand. */
    static boolean isUuidText(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** {@code .key} for identifier-like keys, {@code ["key"]} otherwise. */
    private static String member(String key) {
        return IDENTIFIER.matcher(key).matches() ? "." + key : "[\"" + shorten(key).replace("\"", "\\\"") + "\"]";
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    private static String kind(@Nullable Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof List) {
            return "an array";
        }
        return "an object";
    }

    /** Writes parsed plain values back as compact JSON. */
    static String toJson(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, @Nullable Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else {
            throw new IllegalArgumentException("not a parsed JSON value: " + v.getClass());
        }
    }
}
