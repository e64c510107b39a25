package io.vigil.plugin.docker;

import java.time.Instant;
import java.util.Map;

/**
 * One container event as the engine reported it, reduced to what the monitor reads. Kept apart
 * from docker-java's model so the lifecycle rules can be read (and tested) without a client.
 *
 * @param containerId the full container id
 * @param action      Docker's action: {@code create}, {@code die}, {@code health_status: healthy}…
 * @param timeNano    the engine's event time in nanoseconds since the epoch
 * @param attributes  the actor attributes: {@code name}, {@code image}, {@code exitCode},
 *                    {@code signal} and the container's labels
 */
record EngineEvent(String containerId, String action, long timeNano, Map<String, String> attributes) {

    EngineEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The action without a status suffix: {@code health_status: healthy} is {@code health_status}. */
    String baseAction() {
        int colon = action.indexOf(':');
        return colon < 0 ? action : action.substring(0, colon);
    }

    /** The text after {@code ": "}, e.g. {@code healthy}; empty when there is none. */
    String actionDetail() {
        int colon = action.indexOf(':');
        return colon < 0 ? "" : action.substring(colon + 1).trim();
    }

    String name() {
        return attributes.getOrDefault("name", containerId.length() > 12 ? containerId.substring(0, 12) : containerId);
    }

    Instant time() {
        return Instant.ofEpochSecond(0, timeNano);
    }

    /** The exit code of a {@code die}, or {@code null} when the engine gave none. */
    Integer exitCode() {
        String code = attributes.get("exitCode");
        try {
            return code == null ? null : Integer.valueOf(code.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Identifies the event among those with the same time stamp (the cursor's dedupe key). */
    String sameTimeKey() {
        return action + "|" + containerId;
    }

    /** Identifies the event in the whole stream. */
    String key() {
        return timeNano + "|" + sameTimeKey();
    }
}
