package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.server.event.NewEvent;
import io.vigil.server.event.Severity;

import java.io.IOException;
import java.util.Map;

/**
 * A stored event as event rules see it: the event's fields, the name of the agent that sent it,
 * and its attributes parsed on first use (most events match no rule that looks at attributes).
 */
public final class EventFacts {

    private static final Argument<Map<String, Object>> OBJECT = Argument.mapOf(String.class, Object.class);

    private final NewEvent event;
    private final String agentName;
    private final JsonMapper json;
    private @Nullable Map<String, Object> attributes;

    public EventFacts(NewEvent event, String agentName, JsonMapper json) {
        this.event = event;
        this.agentName = agentName;
        this.json = json;
    }

    public NewEvent event() {
        return event;
    }

    public String type() {
        return event.type();
    }

    public String plugin() {
        return event.plugin() == null ? "" : event.plugin();
    }

    public Severity severity() {
        return event.severity();
    }

    public String subject() {
        return event.subject();
    }

    /** The agent that shipped the event (authenticated), which may differ from the event's own agent field. */
    public String agentName() {
        return agentName;
    }

    /** The event's fingerprint, or {@code plugin:type:subject} when it has none. */
    public String fingerprint() {
        return event.fingerprint() != null && !event.fingerprint().isEmpty() ? event.fingerprint()
                : plugin() + ":" + type() + ":" + subject();
    }

    public Map<String, Object> attributes() {
        if (attributes == null) {
            try {
                attributes = json.readValue(event.attributesJson(), OBJECT);
            } catch (IOException | RuntimeException e) {
                attributes = Map.of();
            }
            if (attributes == null) {
                attributes = Map.of();
            }
        }
        return attributes;
    }

    /** The value of a template variable of event rules. */
    public @Nullable Object variable(String name) {
        return switch (name) {
            case "type" -> type();
            case "plugin" -> event.plugin();
            case "subject" -> subject();
            case "title" -> event.title();
            case "severity" -> severity().wireName();
            case "host" -> event.host();
            case "agent" -> event.agent() != null ? event.agent() : agentName;
            case "monitor" -> event.monitor();
            case "fingerprint" -> fingerprint();
            case "attributes" -> attributes();
            case "time" -> event.time().toString();
            default -> null;
        };
    }
}
