package io.vigil.server.route;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.vigil.server.alert.LabelMatcher;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.configfile.InvalidConfigException;
import io.vigil.server.configfile.Problem;
import io.vigil.server.configfile.Problems;
import io.vigil.server.configfile.WatchedFile;
import io.vigil.server.crypto.Keyring;
import io.vigil.server.crypto.NamedSecrets;
import io.vigil.server.crypto.SecretValues;
import io.vigil.server.escalation.EscalationPolicies;
import io.vigil.server.escalation.EscalationPolicy;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.ChannelCatalog;
import io.vigil.server.silence.MaintenanceWindow;
import io.vigil.server.silence.MaintenanceWindows;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routing file ({@code vigil.alerting.routing-file}, env {@code VIGIL_ROUTING_FILE}): the
 * channels, the routing tree, the escalation policies and the maintenance windows. Validated as a
 * whole at start-up (the server refuses to start with a bad file) and read again when it changes;
 * a changed file with any problem is refused, every problem is logged with file and line, and the
 * previous configuration stays in force. Without a file alerts are recorded but nobody is notified.
 */
@Context
public class RoutingFile {

    static final List<String> KEYS = List.of("channels", "route", "escalation_policies", "maintenance_windows");
    static final List<String> ROUTE_KEYS = List.of("match", "channels", "continue", "group_by", "group_wait",
            "group_interval", "repeat_interval", "send_resolved", "escalation", "routes");

    private static final Logger LOG = LoggerFactory.getLogger(RoutingFile.class);
    private static final Route NOWHERE = new Route("root", List.of(), List.of(), false, null, Duration.ZERO,
            Duration.ofMinutes(5), Duration.ofHours(4), true, null, List.of());

    private final @Nullable WatchedFile file;
    private final ChannelCatalog channels;
    private final EscalationPolicies policies;
    private final MaintenanceWindows windows;
    private final SecretValues secrets;
    private volatile Route root = NOWHERE;
    private volatile List<String> problems = List.of();
    private volatile java.time.Instant loadedAt;
    private boolean loaded;

    RoutingFile(@Nullable @Value("${vigil.alerting.routing-file:}") String path, ChannelCatalog channels,
                EscalationPolicies policies, MaintenanceWindows windows, Keyring keys, NamedSecrets vault) {
        this.file = path == null || path.isBlank() ? null : new WatchedFile(Path.of(path.strip()));
        this.channels = channels;
        this.policies = policies;
        this.windows = windows;
        this.secrets = new SecretValues(keys, vault, System.getenv());
        if (file == null) {
            LOG.warn("no routing file: alerts are recorded but nobody is notified; set vigil.alerting.routing-file "
                    + "(env VIGIL_ROUTING_FILE), see docs/alerting.md");
            return;
        }
        List<Problem> found = reload();
        if (!found.isEmpty()) {
            throw new InvalidConfigException(found);
        }
    }

    /** The root of the routing tree in force. */
    public Route root() {
        return root;
    }

    /** The routes that deliver an alert with these labels. */
    public List<Route> match(Map<String, String> labels) {
        return root.deliveringFor(labels);
    }

    /** The route with this id, {@code null} when the tree in force has none (it was edited). */
    public @Nullable Route route(String id) {
        return root.find(id);
    }

    /** The file, {@code null} when none is configured. */
    public @Nullable String file() {
        return file == null ? null : file.displayName();
    }

    /** When the configuration in force was read, {@code null} when never. */
    public java.time.@Nullable Instant loadedAt() {
        return loadedAt;
    }

    /** Problems of the file as it is now; empty when it is in force. */
    public List<String> problems() {
        return problems;
    }

    /**
     * Reads the file again if it changed; applies it only if it has no problem.
     *
     * @return the problems (empty when applied or unchanged)
     */
    public synchronized List<Problem> reload() {
        if (file == null) {
            return List.of();
        }
        String text;
        try {
            text = file.readIfChanged();
        } catch (NoSuchFileException e) {
            return refuse(List.of(new Problem(file.displayName(), 0, "", "the routing file does not exist: create it, "
                    + "or unset vigil.alerting.routing-file (env VIGIL_ROUTING_FILE)")));
        } catch (IOException e) {
            return refuse(List.of(new Problem(file.displayName(), 0, "", "cannot read the routing file ("
                    + e.getClass().getSimpleName() + ")")));
        }
        if (text == null) {
            return List.of();
        }
        Problems found = new Problems();
        ConfigNode doc = ConfigNode.parse(text, file.displayName(), found);
        doc.allowOnly(KEYS);
        Map<String, Channel> parsedChannels = channels.parse(doc.get("channels"), secrets);
        List<EscalationPolicy> parsedPolicies = new ArrayList<>();
        Map<String, Integer> policyLines = new LinkedHashMap<>();
        for (ConfigNode p : doc.get("escalation_policies").items()) {
            EscalationPolicy policy = EscalationPolicy.parse(p);
            if (policy == null) {
                continue;
            }
            if (policyLines.putIfAbsent(policy.name(), p.line()) != null) {
                p.get("name").problem("escalation policy \"" + policy.name() + "\" is already defined at line "
                        + policyLines.get(policy.name()));
                continue;
            }
            for (int i = 0; i < policy.steps().size(); i++) {
                ConfigNode stepChannels = p.get("steps").items().get(i).get("channels");
                knownChannels(stepChannels, policy.steps().get(i).channels(), parsedChannels.keySet());
            }
            parsedPolicies.add(policy);
        }
        List<MaintenanceWindow> parsedWindows = new ArrayList<>();
        for (ConfigNode w : doc.get("maintenance_windows").items()) {
            MaintenanceWindow window = MaintenanceWindow.parse(w);
            if (window != null) {
                parsedWindows.add(window);
            }
        }
        ConfigNode routeNode = doc.get("route");
        Route parsedRoot = NOWHERE;
        if (routeNode.isPresent()) {
            Map<String, ConfigNode> rootKeys = routeNode.entries();
            if (rootKeys.containsKey("match")) {
                rootKeys.get("match").problem("the root route takes every alert; put matchers on routes below it");
            }
            if (rootKeys.containsKey("continue")) {
                rootKeys.get("continue").problem("the root route has no siblings; continue applies to routes below it");
            }
            parsedRoot = route(routeNode, "root", NOWHERE, parsedChannels.keySet(), policyLines.keySet());
        } else if (!parsedChannels.isEmpty()) {
            doc.get("route").problem("required when channels are defined: route: {channels: [...]} says who is notified");
        }
        if (!found.isEmpty()) {
            return refuse(found.list());
        }
        channels.replace(parsedChannels);
        policies.replace(parsedPolicies);
        windows.replace(parsedWindows);
        root = parsedRoot;
        problems = List.of();
        loadedAt = java.time.Instant.now();
        LOG.info("routing file {} {}: {} channels, {} escalation policies, {} maintenance windows",
                file.displayName(), loaded ? "reloaded" : "loaded", parsedChannels.size(), parsedPolicies.size(),
                parsedWindows.size());
        loaded = true;
        return List.of();
    }

    private List<Problem> refuse(List<Problem> found) {
        problems = found.stream().map(Problem::toString).toList();
        if (loaded) {
            LOG.error("routing file {} has {} problem(s); keeping the configuration read before", file.displayName(),
                    found.size());
            for (Problem p : found) {
                LOG.error("{}", p);
            }
        }
        return found;
    }

    private Route route(ConfigNode node, String id, Route parent, Set<String> channelNames, Set<String> policyNames) {
        node.allowOnly(ROUTE_KEYS);
        List<LabelMatcher> match = new ArrayList<>();
        ConfigNode matchNode = node.get("match");
        for (ConfigNode item : matchNode.isScalar() ? List.of(matchNode) : matchNode.items()) {
            String t = item.text();
            if (t != null) {
                try {
                    match.add(LabelMatcher.parse(t));
                } catch (IllegalArgumentException e) {
                    item.problem(e.getMessage());
                }
            }
        }
        List<String> routeChannels = node.get("channels").isPresent() ? node.get("channels").textList() : parent.channels();
        if (node.get("channels").isPresent()) {
            knownChannels(node.get("channels"), routeChannels, channelNames);
        }
        Boolean cont = node.get("continue").bool();
        List<String> groupBy = parent.groupBy();
        if (node.get("group_by").isPresent()) {
            List<String> g = node.get("group_by").textList();
            groupBy = g.contains("...") ? null : List.copyOf(g);
        }
        Duration groupWait = or(node.get("group_wait").duration(), parent.groupWait());
        Duration groupInterval = or(node.get("group_interval").duration(), parent.groupInterval());
        Duration repeat = or(node.get("repeat_interval").duration(), parent.repeatInterval());
        if (repeat.isZero()) {
            node.get("repeat_interval").problem("must be longer than 0s");
        }
        Boolean sendResolved = node.get("send_resolved").bool();
        String escalation = node.get("escalation").isPresent() ? node.get("escalation").text() : parent.escalation();
        if (node.get("escalation").isPresent() && escalation != null && !escalation.equals("none")
                && !policyNames.contains(escalation)) {
            node.get("escalation").problem("no escalation policy named \"" + escalation + "\" (defined: "
                    + (policyNames.isEmpty() ? "none" : String.join(", ", policyNames)) + "); \"none\" stops inheriting one");
        }
        if ("none".equals(escalation)) {
            escalation = null;
        }
        Route self = new Route(id, List.copyOf(match), List.copyOf(routeChannels), cont != null && cont, groupBy,
                groupWait, groupInterval, repeat, sendResolved == null ? parent.sendResolved() : sendResolved, escalation,
                List.of());
        List<Route> children = new ArrayList<>();
        int i = 0;
        for (ConfigNode child : node.get("routes").items()) {
            children.add(route(child, id + "." + i++, self, channelNames, policyNames));
        }
        return new Route(id, self.match(), self.channels(), self.continueMatching(), groupBy, groupWait, groupInterval,
                repeat, self.sendResolved(), escalation, List.copyOf(children));
    }

    private static void knownChannels(ConfigNode node, List<String> names, Set<String> defined) {
        for (String n : names) {
            if (!defined.contains(n)) {
                node.problem("no channel named \"" + n + "\" (defined: "
                        + (defined.isEmpty() ? "none" : String.join(", ", defined)) + ")");
            }
        }
    }

    private static Duration or(@Nullable Duration value, Duration inherited) {
        return value == null ? inherited : value;
    }
}
