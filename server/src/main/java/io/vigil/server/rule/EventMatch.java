package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.event.Severity;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which events an event rule takes: all given conditions must hold.
 *
 * @param plugin       glob on the plugin id
 * @param types        globs on the event type (any may match); empty: every type
 * @param severityMin  lowest event severity
 * @param subject      glob on the subject
 * @param subjectRegex regular expression on the whole subject
 * @param attributes   conditions on attributes
 */
public record EventMatch(@Nullable Glob plugin, List<Glob> types, @Nullable Severity severityMin,
                         @Nullable Glob subject, @Nullable Pattern subjectRegex,
                         List<AttributePredicate> attributes) {

    public boolean matches(EventFacts e) {
        if (plugin != null && !plugin.matches(e.plugin())) {
            return false;
        }
        if (!types.isEmpty() && types.stream().noneMatch(g -> g.matches(e.type()))) {
            return false;
        }
        if (severityMin != null && e.severity().code() < severityMin.code()) {
            return false;
        }
        if (subject != null && !subject.matches(e.subject())) {
            return false;
        }
        if (subjectRegex != null && !subjectRegex.matcher(e.subject()).matches()) {
            return false;
        }
        for (AttributePredicate p : attributes) {
            if (!p.test(e.attributes())) {
                return false;
            }
        }
        return true;
    }
}
