package io.vigil.plugin.filesystem;

import io.vigil.api.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The severity of a change, from the operator's rules: each rule maps a glob, optionally prefixed
 * by a change and a colon ({@code deleted:/var/lib/pgsql/**}), to a severity. Of all matching
 * rules the highest severity wins, so the outcome does not depend on the order rules are written
 * in (YAML maps are not reliably ordered); a change no rule matches gets the default.
 */
final class SeverityRules {

    private record Rule(ChangeType change, GlobSet glob, Severity severity) {
    }

    private final List<Rule> rules;
    private final Severity fallback;

    private SeverityRules(List<Rule> rules, Severity fallback) {
        this.rules = rules;
        this.fallback = fallback;
    }

    /**
     * Parses rules as configured.
     *
     * @throws IllegalArgumentException naming the first rule that is not valid
     */
    static SeverityRules parse(Map<String, String> configured, Severity fallback) {
        List<Rule> rules = new ArrayList<>();
        configured.forEach((key, value) -> {
            ChangeType change = null;
            String glob = key;
            int colon = key.indexOf(':');
            if (colon > 0) {
                change = ChangeType.ofWord(key.substring(0, colon));
                if (change != null) {
                    glob = key.substring(colon + 1);
                }
            }
            try {
                rules.add(new Rule(change, GlobSet.of(List.of(glob)), Severity.parse(value)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("severity rule \"" + key + ": " + value + "\": " + e.getMessage(), e);
            }
        });
        return new SeverityRules(List.copyOf(rules), fallback);
    }

    /** The severity of {@code change} to {@code path}. */
    Severity of(ChangeType change, Path path) {
        Severity worst = null;
        for (Rule rule : rules) {
            if ((rule.change == null || rule.change == change) && rule.glob.matches(path)
                    && (worst == null || rule.severity.atLeast(worst))) {
                worst = rule.severity;
            }
        }
        return worst != null ? worst : fallback;
    }

    /** The severity of a change: for a rename, the higher of what its old and new names get. */
    Severity of(Change change) {
        Severity s = of(change.type(), change.path());
        if (change.from() != null) {
            Severity old = of(change.type(), change.from());
            return old.atLeast(s) ? old : s;
        }
        return s;
    }
}
