package io.vigil.server.rule;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.alert.LabelMatcher;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.event.Severity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads rules from a rules document ({@code rules: [...]}) or one rule (an API request body). Every
 * problem is reported against the node it concerns, with its line; a rule with a problem is left
 * out, and callers refuse a document that has any.
 */
final class RuleParser {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,127}");
    static final Pattern LABEL_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,127}");

    static final List<String> RULE_KEYS = List.of("id", "description", "enabled", "labels", "severity", "title",
            "message", "event", "metric", "absence");
    static final List<String> EVENT_KEYS = List.of("plugin", "type", "severity_min", "subject", "subject_regex",
            "attributes", "resolve_on", "resolve_after", "fingerprint");
    static final List<String> METRIC_KEYS = List.of("name", "match", "aggregate", "window", "op", "threshold",
            "resolve_threshold", "for");
    static final List<String> ABSENCE_KEYS = List.of("agent", "metric", "match", "for");

    static final List<String> EVENT_VARIABLES = List.of("rule", "type", "plugin", "subject", "title", "severity",
            "host", "agent", "monitor", "fingerprint", "time");
    static final List<String> METRIC_VARIABLES = List.of("rule", "severity", "metric", "series", "value", "threshold",
            "resolve_threshold", "op", "aggregate", "window", "for");
    static final List<String> ABSENCE_VARIABLES = List.of("rule", "severity", "agent", "metric", "series",
            "silent_for", "last_seen", "for");

    private static final String EVENT_TITLE = "{{title}}";
    private static final String METRIC_TITLE = "{{metric}} {{series}} {{aggregate}} over {{window}} is {{value}} "
            + "({{op}} {{threshold}})";
    private static final String AGENT_TITLE = "agent {{agent}} silent for {{silent_for}}";
    private static final String SERIES_TITLE = "no samples of {{metric}} {{series}} for {{silent_for}}";

    /** A rule as read, whether it is enabled, and its definition as plain data. */
    record Parsed(Rule rule, boolean enabled, Object definition) {
    }

    private RuleParser() {
    }

    /** Reads {@code rules: [...]}. Ids must be unique within the document. */
    static List<Parsed> document(ConfigNode root, String origin) {
        List<Parsed> out = new ArrayList<>();
        if (!root.isPresent()) {
            return out;
        }
        root.allowOnly(List.of("rules"));
        ConfigNode rules = root.get("rules");
        Map<String, ConfigNode> seen = new LinkedHashMap<>();
        for (ConfigNode item : rules.items()) {
            Parsed p = rule(item, origin);
            if (p == null) {
                continue;
            }
            ConfigNode earlier = seen.putIfAbsent(p.rule().id(), item);
            if (earlier != null) {
                item.get("id").problem("rule id \"" + p.rule().id() + "\" is already used at line " + earlier.line());
                continue;
            }
            out.add(p);
        }
        return out;
    }

    /** Reads one rule; {@code null} when it has problems (recorded on the nodes). */
    static @Nullable Parsed rule(ConfigNode node, String origin) {
        int before = node.problems().size();
        Map<String, ConfigNode> keys = node.allowOnly(RULE_KEYS);
        if (!node.isMap()) {
            return null;
        }
        String id = node.get("id").requiredText();
        if (id != null && !ID.matcher(id).matches()) {
            node.get("id").problem("\"" + id + "\" is not a rule id: lower-case letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit, at most 128 characters");
        }
        String description = node.get("description").text();
        Boolean enabled = node.get("enabled").bool();
        Map<String, String> labels = labels(node.get("labels"));
        Severity severity = severity(node.get("severity"));

        List<String> kinds = new ArrayList<>();
        for (String k : List.of("event", "metric", "absence")) {
            if (keys.containsKey(k)) {
                kinds.add(k);
            }
        }
        if (kinds.size() != 1) {
            node.problem(kinds.isEmpty() ? "a rule needs one of event:, metric: or absence:"
                    : "a rule has exactly one of event:, metric: or absence:, this one has " + String.join(" and ", kinds));
            return null;
        }
        RuleSource source = new RuleSource(origin, origin.equals(RuleSource.API) ? "api" : node.location());
        String kind = kinds.get(0);
        Rule rule = switch (kind) {
            case "event" -> event(node, id, description, labels, severity, source);
            case "metric" -> metric(node, id, description, labels, severity, source);
            default -> absence(node, id, description, labels, severity, source);
        };
        if (rule == null || node.problems().size() > before) {
            return null;
        }
        return new Parsed(rule, enabled == null || enabled, node.toPlain());
    }

    private static @Nullable EventRule event(ConfigNode node, String id, @Nullable String description,
                                             Map<String, String> labels, @Nullable Severity severity, RuleSource source) {
        ConfigNode e = node.get("event");
        e.allowOnly(EVENT_KEYS);
        String plugin = e.get("plugin").text();
        List<Glob> types = e.get("type").textList().stream().map(Glob::of).toList();
        Severity min = severity(e.get("severity_min"));
        String subject = e.get("subject").text();
        Pattern subjectRegex = regex(e.get("subject_regex"));
        List<AttributePredicate> attributes = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> a : e.get("attributes").entries().entrySet()) {
            AttributePredicate p = predicate(a.getKey(), a.getValue());
            if (p != null) {
                attributes.add(p);
            }
        }
        List<EventMatch> resolveOn = new ArrayList<>();
        ConfigNode resolveNode = e.get("resolve_on");
        for (ConfigNode item : resolveNode.isScalar() ? List.of(resolveNode) : resolveNode.items()) {
            EventMatch m = resolver(item);
            if (m != null) {
                resolveOn.add(m);
            }
        }
        Duration resolveAfter = positive(e.get("resolve_after"));
        Template fingerprint = template(e.get("fingerprint"), null, EVENT_VARIABLES, Set.of("attributes"));
        Template title = template(node.get("title"), EVENT_TITLE, EVENT_VARIABLES, Set.of("attributes"));
        Template message = template(node.get("message"), "", EVENT_VARIABLES, Set.of("attributes"));
        if (id == null || title == null || message == null) {
            return null;
        }
        return new EventRule(id, description == null ? "" : description, labels, source,
                new EventMatch(plugin == null ? null : Glob.of(plugin), types, min,
                        subject == null ? null : Glob.of(subject), subjectRegex, List.copyOf(attributes)),
                severity, title, message, fingerprint, List.copyOf(resolveOn), resolveAfter);
    }

    private static @Nullable MetricRule metric(ConfigNode node, String id, @Nullable String description,
                                               Map<String, String> labels, @Nullable Severity severity,
                                               RuleSource source) {
        ConfigNode m = node.get("metric");
        m.allowOnly(METRIC_KEYS);
        String name = m.get("name").requiredText();
        List<LabelMatcher> match = matchers(m.get("match"));
        MetricRule.Aggregate aggregate = MetricRule.Aggregate.LAST;
        String agg = m.get("aggregate").text();
        if (agg != null) {
            try {
                aggregate = MetricRule.Aggregate.valueOf(agg.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                m.get("aggregate").problem("unknown aggregate \"" + agg + "\": expected avg, max, min or last");
            }
        }
        Duration window = positive(m.get("window"));
        if (window == null) {
            window = Duration.ofMinutes(5); // the default; a given but invalid window is a problem already
        }
        String opText = m.get("op").requiredText();
        MetricRule.Comparison op = null;
        if (opText != null) {
            op = MetricRule.Comparison.of(opText.strip()).orElse(null);
            if (op == null) {
                m.get("op").problem("unknown comparison \"" + opText + "\": expected >, >=, < or <=");
            }
        }
        Double threshold = m.get("threshold").number();
        if (threshold == null && !m.get("threshold").isPresent()) {
            m.get("threshold").problem("required");
        }
        Double resolve = m.get("resolve_threshold").number();
        if (op != null && threshold != null && resolve != null
                && (op.upward() ? resolve > threshold : resolve < threshold)) {
            m.get("resolve_threshold").problem("must be on the clear side of the threshold ("
                    + (op.upward() ? "at most " : "at least ") + Template.format(threshold) + " for " + op.symbol()
                    + "), got " + Template.format(resolve));
        }
        Duration forDuration = nonNegative(m.get("for"));
        if (severity == null) {
            node.get("severity").problem("required for a metric rule (info, low, medium, high or critical)");
        }
        Template title = template(node.get("title"), METRIC_TITLE, METRIC_VARIABLES, Set.of("labels"));
        Template message = template(node.get("message"), "", METRIC_VARIABLES, Set.of("labels"));
        if (id == null || name == null || op == null || threshold == null || severity == null || title == null
                || message == null) {
            return null;
        }
        return new MetricRule(id, description == null ? "" : description, labels, source, name, match, aggregate,
                window, op, threshold, resolve, forDuration == null ? Duration.ZERO : forDuration, severity, title,
                message);
    }

    private static @Nullable AbsenceRule absence(ConfigNode node, String id, @Nullable String description,
                                                 Map<String, String> labels, @Nullable Severity severity,
                                                 RuleSource source) {
        ConfigNode a = node.get("absence");
        a.allowOnly(ABSENCE_KEYS);
        String agent = a.get("agent").text();
        String metric = a.get("metric").text();
        if ((agent == null) == (metric == null)) {
            a.problem("an absence rule watches either agents (agent: \"*\") or a metric (metric: name), "
                    + (agent == null ? "neither is given" : "not both"));
        }
        List<LabelMatcher> match = matchers(a.get("match"));
        if (agent != null && !match.isEmpty()) {
            a.get("match").problem("match: selects series of a metric; for agents use a glob in agent:");
        }
        Duration forDuration = positive(a.get("for"));
        if (forDuration == null && !a.get("for").isPresent()) {
            a.get("for").problem("required: how long silence lasts before the alert, e.g. 5m");
        }
        if (severity == null) {
            node.get("severity").problem("required for an absence rule (info, low, medium, high or critical)");
        }
        Template title = template(node.get("title"), agent != null ? AGENT_TITLE : SERIES_TITLE, ABSENCE_VARIABLES,
                Set.of("labels"));
        Template message = template(node.get("message"), "", ABSENCE_VARIABLES, Set.of("labels"));
        if (id == null || forDuration == null || severity == null || title == null || message == null
                || (agent == null) == (metric == null)) {
            return null;
        }
        return new AbsenceRule(id, description == null ? "" : description, labels, source,
                agent == null ? null : Glob.of(agent), metric, match, forDuration, severity, title, message);
    }

    /** A resolving event: a type glob, or {type: glob, attributes: {...}}. */
    private static @Nullable EventMatch resolver(ConfigNode item) {
        if (item.isScalar()) {
            String t = item.text();
            return t == null ? null : new EventMatch(null, List.of(Glob.of(t)), null, null, null, List.of());
        }
        item.allowOnly(List.of("type", "attributes"));
        if (!item.isMap()) {
            return null;
        }
        List<Glob> types = item.get("type").textList().stream().map(Glob::of).toList();
        if (types.isEmpty()) {
            item.get("type").problem("required: the type (glob) of the resolving event");
            return null;
        }
        List<AttributePredicate> attributes = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> a : item.get("attributes").entries().entrySet()) {
            AttributePredicate p = predicate(a.getKey(), a.getValue());
            if (p != null) {
                attributes.add(p);
            }
        }
        return new EventMatch(null, types, null, null, null, List.copyOf(attributes));
    }

    private static @Nullable AttributePredicate predicate(String name, ConfigNode value) {
        List<String> path = List.of(name.split("\\."));
        if (!value.isMap()) {
            Object v = value.isList() ? null : value.scalar();
            if (value.isList()) {
                value.problem("a list is not a value: write {in: [a, b]} to match any of several values");
                return null;
            }
            return new AttributePredicate(path, "eq", v);
        }
        Map<String, ConfigNode> ops = value.allowOnly(AttributePredicate.OPERATORS);
        if (ops.size() != 1) {
            value.problem("give one operator per attribute (" + String.join(", ", AttributePredicate.OPERATORS) + ")");
            return null;
        }
        Map.Entry<String, ConfigNode> op = ops.entrySet().iterator().next();
        ConfigNode operand = op.getValue();
        return switch (op.getKey()) {
            case "in" -> {
                List<Object> values = new ArrayList<>();
                for (ConfigNode item : operand.items()) {
                    values.add(item.scalar());
                }
                yield operand.isList() ? new AttributePredicate(path, "in", List.copyOf(values)) : null;
            }
            case "matches" -> {
                Pattern p = regex(operand);
                yield p == null ? null : new AttributePredicate(path, "matches", p);
            }
            case "exists" -> {
                Boolean b = operand.bool();
                yield b == null ? null : new AttributePredicate(path, "exists", b);
            }
            case "gt", "gte", "lt", "lte" -> {
                Double d = operand.number();
                yield d == null ? null : new AttributePredicate(path, op.getKey(), operand.scalar());
            }
            default -> new AttributePredicate(path, op.getKey(), operand.scalar());
        };
    }

    static Map<String, String> labels(ConfigNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
            if (!LABEL_NAME.matcher(e.getKey()).matches()) {
                e.getValue().problem("label name \"" + e.getKey() + "\" must match [a-z_][a-z0-9_]*");
                continue;
            }
            Object v = e.getValue().scalar();
            if (v == null) {
                e.getValue().problem("a label needs a value");
                continue;
            }
            out.put(e.getKey(), v.toString());
        }
        return Map.copyOf(out);
    }

    static List<LabelMatcher> matchers(ConfigNode node) {
        List<LabelMatcher> out = new ArrayList<>();
        List<ConfigNode> items = node.isScalar() ? List.of(node) : node.items();
        for (ConfigNode item : items) {
            String t = item.text();
            if (t == null) {
                continue;
            }
            try {
                out.add(LabelMatcher.parse(t));
            } catch (IllegalArgumentException e) {
                item.problem(e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    static @Nullable Severity severity(ConfigNode node) {
        String t = node.text();
        if (t == null) {
            return null;
        }
        Severity s = Severity.fromWireName(t).orElse(null);
        if (s == null) {
            node.problem("unknown severity \"" + t + "\": expected one of " + Severity.NAMES);
        }
        return s;
    }

    private static @Nullable Pattern regex(ConfigNode node) {
        String t = node.text();
        if (t == null) {
            return null;
        }
        try {
            return Pattern.compile(t);
        } catch (PatternSyntaxException e) {
            node.problem("invalid regular expression: " + e.getDescription());
            return null;
        }
    }

    private static @Nullable Duration positive(ConfigNode node) {
        Duration d = node.duration();
        if (d != null && (d.isZero() || d.isNegative())) {
            node.problem("must be longer than 0s");
            return null;
        }
        return d;
    }

    private static @Nullable Duration nonNegative(ConfigNode node) {
        return node.duration();
    }

    private static @Nullable Template template(ConfigNode node, @Nullable String fallback, List<String> names,
                                               Set<String> prefixes) {
        String text = node.isPresent() ? node.text() : fallback;
        if (text == null) {
            return null;
        }
        try {
            return Template.parse(text, names, prefixes);
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage());
            return null;
        }
    }
}
