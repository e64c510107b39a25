package io.vigil.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Something a monitor noticed: a container died, a column was dropped, a price deviated.
 *
 * <p>A plugin builds events with {@link #builder(String)} and hands them to
 * {@link Emitter#emit(Event)}; it sets what it knows (type, severity, subject, title,
 * attributes, optionally time and fingerprint). The agent then {@linkplain #stamped stamps} the
 * origin fields (host, agent, monitor, plugin, trace id, session id) before the event is spooled,
 * so those are {@code null} only in events a plugin has not emitted yet.
 *
 * <p>The {@link #id()} is a UUIDv7 made when the event is built; it is the idempotency key from
 * the agent's spool to the server's table, so a redelivered event is stored once.
 *
 * @param id          UUIDv7, unique per event
 * @param time        when it happened (not when it was shipped)
 * @param host        host name of the agent that saw it
 * @param agent       agent name (one host may run several agents)
 * @param monitor     the monitor instance name from the agent's config
 * @param plugin      the PF4J plugin id that emitted it
 * @param type        dotted lower-case type, e.g. {@code docker.container.died}
 * @param severity    how much it matters
 * @param subject     what it is about: a container, table, path or asset; may be empty
 * @param title       one line for a human
 * @param attributes  details as a JSON object: values are strings, numbers, booleans, null,
 *                    lists or maps of the same
 * @param fingerprint dedup key for alerting; defaults to a hash of plugin, type and subject
 * @param traceId     identifies one monitor run (one poll, or one streaming session)
 * @param sessionId   identifies one agent process lifetime
 */
public record Event(UUID id, Instant time, String host, String agent, String monitor, String plugin,
                    String type, Severity severity, String subject, String title,
                    Map<String, Object> attributes, String fingerprint, String traceId,
                    String sessionId) {

    /** Types are dotted lower-case words: {@code plugin.object.verb}. */
    public static final Pattern TYPE_PATTERN = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");
    /** Longest accepted type. */
    public static final int MAX_TYPE_LENGTH = 128;
    /** Longest accepted subject, title or fingerprint; longer text is a plugin bug, not data. */
    public static final int MAX_TEXT_LENGTH = 1024;

    /** Validates and freezes the fields; see {@link Builder} for the plugin-facing way in. */
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        if (type.length() > MAX_TYPE_LENGTH || !TYPE_PATTERN.matcher(type).matches()) {
            throw new IllegalArgumentException("event type \"" + type
                    + "\" must be dotted lower-case words such as docker.container.died");
        }
        subject = subject == null ? "" : subject;
        title = title == null ? "" : title;
        checkLength("subject", subject);
        checkLength("title", title);
        if (fingerprint != null) {
            checkLength("fingerprint", fingerprint);
        }
        attributes = JsonValues.freezeObject(attributes == null ? Map.of() : attributes, "attributes");
    }

    private static void checkLength(String field, String value) {
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("event " + field + " is " + value.length()
                    + " characters, the limit is " + MAX_TEXT_LENGTH);
        }
    }

    /** Starts an event of the given type, severity {@link Severity#INFO} until set. */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /**
     * A copy with the origin fields set by the agent. A fingerprint the plugin did not set is
     * derived here, because only now is the plugin id known.
     */
    public Event stamped(String host, String agent, String monitor, String plugin, String traceId,
                         String sessionId) {
        String fp = fingerprint != null ? fingerprint : defaultFingerprint(plugin, type, subject);
        return new Event(id, time, host, agent, monitor, plugin, type, severity, subject, title,
                attributes, fp, traceId, sessionId);
    }

    /**
     * The default dedup key: the first 128 bits of SHA-256 over plugin, type and subject, hex.
     * Two events about the same thing from the same plugin share it, whatever their times.
     */
    public static String defaultFingerprint(String plugin, String type, String subject) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((plugin + '\n' + type + '\n' + subject)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Builds an {@link Event}. Not thread-safe; build one event per builder.
     */
    public static final class Builder {
        private final String type;
        private Severity severity = Severity.INFO;
        private String subject = "";
        private String title = "";
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private String fingerprint;
        private Instant time;

        private Builder(String type) {
            this.type = type;
        }

        /** Sets the severity (default {@link Severity#INFO}). */
        public Builder severity(Severity severity) {
            this.severity = Objects.requireNonNull(severity, "severity");
            return this;
        }

        /** Sets what the event is about: a container name, a table, a path, an asset. */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /** Sets the one-line human title. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /** Adds one attribute; the value must be JSON-compatible (see {@link Event#attributes()}). */
        public Builder attribute(String key, Object value) {
            attributes.put(Objects.requireNonNull(key, "attribute key"), value);
            return this;
        }

        /** Adds all the given attributes. */
        public Builder attributes(Map<String, ?> values) {
            values.forEach(this::attribute);
            return this;
        }

        /** Overrides the default fingerprint (plugin + type + subject) used to group alerts. */
        public Builder fingerprint(String fingerprint) {
            this.fingerprint = fingerprint;
            return this;
        }

        /** Sets when it happened; default is the moment {@link #build()} is called. */
        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        /**
         * Creates the event with a fresh UUIDv7 id.
         *
         * @throws IllegalArgumentException if the type is not dotted lower-case, a text is too
         *                                  long or an attribute is not JSON-compatible
         */
        public Event build() {
            return new Event(EventIds.next(), time != null ? time : Instant.now(), null, null, null,
                    null, type, severity, subject, title, attributes, fingerprint, null, null);
        }
    }

    /** Deep-copies JSON-like values into unmodifiable collections, rejecting anything else. */
    static final class JsonValues {
        private JsonValues() {
        }

        static Map<String, Object> freezeObject(Map<?, ?> map, String path) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + " has a non-string key: " + e.getKey());
                }
                copy.put(key, freeze(e.getValue(), path + "." + key));
            }
            return Collections.unmodifiableMap(copy);
        }

        private static Object freeze(Object value, String path) {
            if (value == null || value instanceof String || value instanceof Boolean) {
                return value;
            }
            if (value instanceof Number n) {
                if (n instanceof Double d && (d.isNaN() || d.isInfinite())
                        || n instanceof Float f && (f.isNaN() || f.isInfinite())) {
                    throw new IllegalArgumentException(path + " is " + n + ", which JSON cannot carry");
                }
                return n;
            }
            if (value instanceof Map<?, ?> m) {
                return freezeObject(m, path);
            }
            if (value instanceof List<?> list) {
                Object[] items = new Object[list.size()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = freeze(list.get(i), path + "[" + i + "]");
                }
                return Collections.unmodifiableList(Arrays.asList(items));
            }
            if (value instanceof Enum<?> || value instanceof CharSequence || value instanceof UUID
                    || value instanceof Instant) {
                return value.toString();
            }
            throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
                    + "; attributes hold strings, numbers, booleans, null, lists and maps");
        }
    }
}
