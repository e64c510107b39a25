package io.vigil.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML document as plain Java values (maps, lists, strings, numbers, booleans) together with
 * the line each key path came from. SnakeYAML's node graph carries positions; the plain values
 * are what validation is easiest to write against; this keeps both.
 */
final class LocatedYaml {

    private final Object root;
    private final Map<String, Integer> lines;

    private LocatedYaml(Object root, Map<String, Integer> lines) {
        this.root = root;
        this.lines = lines;
    }

    /**
     * Parses a file.
     *
     * @throws ConfigException with the file, line and parser message when the YAML is malformed
     */
    static LocatedYaml read(Path file, String displayName) throws IOException, ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Node node;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            node = yaml.compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw new ConfigException(List.of(new ConfigProblem(displayName, line, "",
                    "invalid YAML: " + problem + context)));
        }
        Map<String, Integer> lines = new HashMap<>();
        Object root = node == null ? null : convert(node, "", lines);
        return new LocatedYaml(root, lines);
    }

    Object root() {
        return root;
    }

    /** The line of a key path, or of the closest enclosing path that has one. */
    int lineOf(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return lines.getOrDefault("", 0);
            }
            p = p.substring(0, cut);
        }
    }

    private static Object convert(Node node, String path, Map<String, Integer> lines) {
        lines.putIfAbsent(path, node.getStartMark().getLine() + 1);
        if (node instanceof MappingNode mapping) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : tuple.getKeyNode().toString();
                String child = path.isEmpty() ? key : path + "." + key;
                lines.put(child, tuple.getKeyNode().getStartMark().getLine() + 1);
                map.put(key, convert(tuple.getValueNode(), child, lines));
            }
            return map;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            int i = 0;
            for (Node item : sequence.getValue()) {
                list.add(convert(item, path + "[" + i++ + "]", lines));
            }
            return list;
        }
        ScalarNode scalar = (ScalarNode) node;
        return scalarValue(scalar);
    }

    // Resolve scalars the way YAML 1.1 tags them (int, float, bool, null), everything else text.
    private static Object scalarValue(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        String text = scalar.getValue();
        try {
            if (Tag.INT.equals(tag)) {
                return Long.parseLong(text.replace("_", ""));
            }
            if (Tag.FLOAT.equals(tag)) {
                return Double.parseDouble(text.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            return text; // e.g. 0x1F or 1:30 sexagesimal: leave as text, the type check will say
        }
        if (Tag.BOOL.equals(tag)) {
            String t = text.toLowerCase(java.util.Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
            return text; // "yes"/"on": keep the operator's word, a boolean option will refuse it
        }
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        return text;
    }
}
