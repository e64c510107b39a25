package io.vigil.server.escalation;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to a firing alert nobody acknowledges: at each step's {@code after} (counted from
 * when the alert fired), its channels are notified with {@code [ESCALATION L<n>]}. Acknowledging or
 * resolving the alert cancels the remaining steps. Declared in the routing file:
 *
 * <pre>
 * escalation_policies:
 *   - name: default
 *     steps:
 *       - after: 15m
 *         channels: [oncall-email]
 *       - after: 1h
 *         channels: [oncall-telegram]
 *       - after: 2h
 *         channels: [pagerduty]
 * </pre>
 */
public record EscalationPolicy(String name, List<Step> steps) {

    /** @param after from the alert's first firing */
    public record Step(Duration after, List<String> channels) {
    }

    static final List<String> KEYS = List.of("name", "steps");
    static final List<String> STEP_KEYS = List.of("after", "channels");

    /** Reads one policy; {@code null} when it has problems (recorded on the nodes). */
    public static @Nullable EscalationPolicy parse(ConfigNode node) {
        int before = node.problems().size();
        node.allowOnly(KEYS);
        String name = node.get("name").requiredText();
        List<Step> steps = new ArrayList<>();
        Duration previous = Duration.ZERO;
        for (ConfigNode s : node.get("steps").items()) {
            s.allowOnly(STEP_KEYS);
            Duration after = s.get("after").duration();
            if (after == null && !s.get("after").isPresent()) {
                s.get("after").problem("required: how long after the alert fired, e.g. 15m");
            }
            if (after != null && after.compareTo(previous) <= 0 && !steps.isEmpty()) {
                s.get("after").problem("steps must come later and later: this one is not after the previous one ("
                        + io.vigil.server.configfile.Durations.format(previous) + ")");
            }
            List<String> channels = s.get("channels").textList();
            if (channels.isEmpty()) {
                s.get("channels").problem("required: the channels this step notifies");
            }
            if (after != null) {
                steps.add(new Step(after, List.copyOf(channels)));
                previous = after;
            }
        }
        if (!node.get("steps").isPresent()) {
            node.get("steps").problem("required: a list of {after, channels}");
        }
        if (node.problems().size() > before || name == null) {
            return null;
        }
        return new EscalationPolicy(name, List.copyOf(steps));
    }
}
