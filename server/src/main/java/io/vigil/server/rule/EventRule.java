package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.event.Severity;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fires an alert for each stored event that matches; the alert's fingerprint is the event's
 * fingerprint (or the rule's {@code fingerprint} template), so repeats of one problem count on one
 * alert. It resolves when an event of a {@code resolve_on} type arrives with the same fingerprint,
 * or after {@code resolve_after} without a repeat.
 *
 * @param severity     the alert's severity, or {@code null} for the event's own
 * @param fingerprint  template of the alert key, or {@code null} for the event's fingerprint
 * @param resolveOn    events (a type glob, optionally with attribute conditions) that resolve the
 *                     alert of the same fingerprint
 * @param resolveAfter quiet period after which the alert resolves by itself, or {@code null}
 */
public record EventRule(String id, String description, Map<String, String> labels, RuleSource source,
                        EventMatch match, @Nullable Severity severity, Template title, Template message,
                        @Nullable Template fingerprint, List<EventMatch> resolveOn, @Nullable Duration resolveAfter)
        implements Rule {

    @Override
    public String kind() {
        return "event";
    }

    /** Whether {@code e} is one of this rule's resolving events (fingerprints are compared by the caller). */
    public boolean resolvedBy(EventFacts e) {
        if (resolveOn.isEmpty()) {
            return false;
        }
        if (match.plugin() != null && !match.plugin().matches(e.plugin())) {
            return false;
        }
        for (EventMatch m : resolveOn) {
            if (m.matches(e)) {
                return true;
            }
        }
        return false;
    }
}
