package io.vigil.server.configfile;

import io.micronaut.core.annotation.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A value of a YAML (or JSON) configuration document together with where it came from: the source
 * name, line and key path. Readers ask for what they expect ({@link #text()}, {@link #duration()},
 * {@link #entries()} ...) and every mismatch becomes a {@link Problem} in the shared
 * {@link Problems}, so that one pass reports everything that is wrong with a document.
 *
 * <p>The document is read through SnakeYAML's node graph ({@code compose}), never constructed into
 * objects: no tags, no types, no code from the document is ever instantiated. JSON is YAML here,
 * so API request bodies are read by the same code as the files.
 */
public final class ConfigNode {

    private static final int MAX_DOCUMENT_CHARS = 4 << 20;

    private final @Nullable Node node;
    private final String source;
    private final String path;
    private final int line;
    private final Problems problems;

    private ConfigNode(@Nullable Node node, String source, String path, int line, Problems problems) {
        this.node = node;
        this.source = source;
        this.path = path;
        this.line = line;
        this.problems = problems;
    }

    /**
     * Reads a document. A syntax error is added to {@code problems} with its line, and the result
     * is an absent node; an empty document is an absent node without a problem.
     */
    public static ConfigNode parse(String text, String source, Problems problems) {
        if (text.length() > MAX_DOCUMENT_CHARS) {
            problems.add(new Problem(source, 0, "", "the document is larger than " + MAX_DOCUMENT_CHARS
                    + " characters"));
            return new ConfigNode(null, source, "", 0, problems);
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(64);
        try {
            Node root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
            return new ConfigNode(root, source, "", root == null ? 0 : lineOf(root), problems);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            problems.add(new Problem(source, line, "", "invalid YAML: " + problem.strip() + context));
        } catch (YAMLException e) {
            problems.add(new Problem(source, 0, "", "invalid YAML: " + e.getMessage()));
        }
        return new ConfigNode(null, source, "", 0, problems);
    }

    public String source() {
        return source;
    }

    /** The key path, e.g. {@code rules[2].match}; empty for the document itself. */
    public String path() {
        return path;
    }

    /** 1-based line of the value (of its key, for a mapping entry), 0 if unknown. */
    public int line() {
        return line;
    }

    /** {@code rules.yml:14}. */
    public String location() {
        return line > 0 ? source + ":" + line : source;
    }

    public Problems problems() {
        return problems;
    }

    /** Whether the value is there and is not {@code null}/{@code ~}. */
    public boolean isPresent() {
        return node != null && !(node instanceof ScalarNode s && Tag.NULL.equals(s.getTag()));
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return isPresent() && node instanceof ScalarNode;
    }

    /** Records a problem about this value. */
    public void problem(String message) {
        problems.add(new Problem(source, line, path, message));
    }

    /** The value of {@code key}, absent (with this node's line) when there is no such key. */
    public ConfigNode get(String key) {
        String childPath = path.isEmpty() ? key : path + "." + key;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple t : mapping.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return new ConfigNode(t.getValueNode(), source, childPath, lineOf(t.getKeyNode()), problems);
                }
            }
        }
        return new ConfigNode(null, source, childPath, line, problems);
    }

    /**
     * The entries of a mapping in document order. Anything else present is a problem (and no
     * entries); so are keys that are not plain text and keys given twice.
     */
    public Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (!isPresent()) {
            return out;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem("expected a mapping (key: value), got " + describe());
            return out;
        }
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problems.add(new Problem(source, lineOf(t.getKeyNode()), path, "keys must be plain text"));
                continue;
            }
            String key = k.getValue();
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (out.containsKey(key)) {
                problems.add(new Problem(source, lineOf(k), childPath, "duplicate key \"" + key + "\""));
                continue;
            }
            out.put(key, new ConfigNode(t.getValueNode(), source, childPath, lineOf(k), problems));
        }
        return out;
    }

    /** The items of a sequence; anything else present is a problem (and no items). */
    public List<ConfigNode> items() {
        List<ConfigNode> out = new ArrayList<>();
        if (!isPresent()) {
            return out;
        }
        if (!(node instanceof SequenceNode sequence)) {
            problem("expected a list, got " + describe());
            return out;
        }
        int i = 0;
        for (Node item : sequence.getValue()) {
            out.add(new ConfigNode(item, source, path + "[" + i++ + "]", lineOf(item), problems));
        }
        return out;
    }

    /**
     * Checks that a mapping has only the given keys; each other key is a problem naming the closest
     * known one. Also reports a non-mapping value.
     *
     * @return this node's entries
     */
    public Map<String, ConfigNode> allowOnly(Collection<String> known) {
        Map<String, ConfigNode> entries = entries();
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                e.getValue().problem("unknown key \"" + e.getKey() + "\"" + DidYouMean.hint(e.getKey(), known)
                        + " (known: " + String.join(", ", known) + ")");
            }
        }
        return entries;
    }

    /** The text of a scalar, {@code null} when absent; a list or mapping is a problem. */
    public @Nullable String text() {
        if (!isPresent()) {
            return null;
        }
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        problem("expected a single value, got " + describe());
        return null;
    }

    /** Like {@link #text()}, and absence is a problem ("required"). */
    public @Nullable String requiredText() {
        if (!isPresent()) {
            problem("required");
            return null;
        }
        String t = text();
        if (t != null && t.isBlank()) {
            problem("must not be empty");
            return null;
        }
        return t;
    }

    /**
     * The scalar as YAML types it: {@link Long}, {@link Double}, {@link Boolean}, {@link String},
     * or {@code null}. Quoted values are always text.
     */
    public @Nullable Object scalar() {
        if (!isPresent()) {
            return null;
        }
        if (!(node instanceof ScalarNode s)) {
            problem("expected a single value, got " + describe());
            return null;
        }
        String t = s.getValue();
        try {
            if (Tag.INT.equals(s.getTag())) {
                return Long.parseLong(t.replace("_", ""));
            }
            if (Tag.FLOAT.equals(s.getTag())) {
                return Double.parseDouble(t.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            return t;
        }
        if (Tag.BOOL.equals(s.getTag())) {
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return Boolean.valueOf(lower);
            }
        }
        return t;
    }

    /** A number (integer or decimal), {@code null} when absent. */
    public @Nullable Double number() {
        Object v = scalar();
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        problem("expected a number, got \"" + v + "\"");
        return null;
    }

    /** {@code true} or {@code false}, {@code null} when absent. */
    public @Nullable Boolean bool() {
        Object v = scalar();
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        problem("expected true or false, got \"" + v + "\"");
        return null;
    }

    /** A duration such as {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 500ms}; {@code null} when absent. */
    public @Nullable Duration duration() {
        Object v = scalar();
        if (v == null) {
            return null;
        }
        if (v instanceof Long n && n == 0) {
            return Duration.ZERO;
        }
        var d = Durations.parse(v.toString());
        if (d.isEmpty()) {
            problem("expected a duration like 30s, 5m, 1h or 500ms, got \"" + v + "\"");
            return null;
        }
        return d.get();
    }

    /** A list of texts; a single text is a list of one. Absent is an empty list. */
    public List<String> textList() {
        List<String> out = new ArrayList<>();
        if (!isPresent()) {
            return out;
        }
        if (node instanceof ScalarNode) {
            String t = text();
            if (t != null) {
                out.add(t);
            }
            return out;
        }
        for (ConfigNode item : items()) {
            String t = item.text();
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The value as plain Java data (maps, lists, {@link #scalar()} values), for showing a definition
     * back (for example as JSON).
     */
    public @Nullable Object toPlain() {
        if (!isPresent()) {
            return null;
        }
        if (node instanceof MappingNode) {
            Map<String, Object> out = new LinkedHashMap<>();
            entries().forEach((k, v) -> out.put(k, v.toPlain()));
            return out;
        }
        if (node instanceof SequenceNode) {
            List<Object> out = new ArrayList<>();
            items().forEach(i -> out.add(i.toPlain()));
            return out;
        }
        return scalar();
    }

    private String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return node instanceof ScalarNode s ? "\"" + s.getValue() + "\"" : "nothing";
    }

    private static int lineOf(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }
}
