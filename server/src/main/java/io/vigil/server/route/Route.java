package io.vigil.server.route;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.alert.LabelMatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node of the routing tree, as in Alertmanager: an alert enters at the root and goes down into
 * the first child whose matchers it satisfies (and into later matching siblings too when that child
 * has {@code continue: true}); the deepest matching nodes deliver it. Settings not given on a node
 * are inherited from its parent.
 *
 * @param id             the path in the tree: {@code root}, {@code root.0}, {@code root.0.2}
 * @param groupBy        label names forming a notification group; {@code null} (written
 *                       {@code ["..."]}) puts every alert in a group of its own
 * @param groupWait      how long a new group waits for more alerts before its first notification
 * @param groupInterval  how long a group waits after a notification before notifying of changes
 * @param repeatInterval how long before a group with unacknowledged firing alerts is notified again
 * @param escalation     the escalation policy for alerts delivered here, if any
 */
public record Route(String id, List<LabelMatcher> match, List<String> channels, boolean continueMatching,
                    @Nullable List<String> groupBy, Duration groupWait, Duration groupInterval,
                    Duration repeatInterval, boolean sendResolved, @Nullable String escalation,
                    List<Route> routes) {

    /** The nodes that deliver an alert with these labels (this node is assumed to match). */
    public List<Route> deliveringFor(Map<String, String> labels) {
        List<Route> out = new ArrayList<>();
        for (Route child : routes) {
            if (LabelMatcher.all(child.match(), labels)) {
                out.addAll(child.deliveringFor(labels));
                if (!child.continueMatching()) {
                    break;
                }
            }
        }
        if (out.isEmpty()) {
            out.add(this);
        }
        return out;
    }

    /** The node with this id in the subtree, or {@code null}. */
    public @Nullable Route find(String routeId) {
        if (id.equals(routeId)) {
            return this;
        }
        for (Route child : routes) {
            if (routeId.startsWith(child.id())) {
                Route r = child.find(routeId);
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }

    /** The labels an alert's group is formed by on this route. */
    public Map<String, String> groupLabels(Map<String, String> labels) {
        Map<String, String> out = new TreeMap<>();
        if (groupBy != null) {
            for (String name : groupBy) {
                out.put(name, labels.getOrDefault(name, ""));
            }
        }
        return out;
    }

    /** The key of an alert's group on this route. */
    public String groupKey(long alertId, Map<String, String> labels) {
        if (groupBy == null) {
            return id + "|alert:" + alertId;
        }
        StringBuilder b = new StringBuilder(id).append('|');
        groupLabels(labels).forEach((k, v) -> b.append(k).append('=').append(v).append(','));
        return b.toString();
    }
}
