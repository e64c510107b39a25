package io.vigil.testkit;

import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks a plugin folder's README option tables and sample.yaml against the options its
 * factories declare, so the documentation cannot drift from the code. A plugin test calls
 * {@link #problems} and asserts the list is empty.
 *
 * <p>README format: for each kind a heading {@code ### kind `NAME`} followed by a table whose
 * rows are {@code | `option` | type | `default` | description |}; the type is the
 * {@link io.vigil.api.OptionType} name in lower case, the default is {@code required} or
 * {@code —} when there is none, and list or map defaults are written as YAML flow
 * ({@code [a, b]}, {@code {k: v}}). sample.yaml: a {@code monitors:} list with one entry per kind
 * whose {@code options} hold every option that has a default, at that default.
 */
public final class PluginDocs {

    private static final Pattern KIND_HEADING = Pattern.compile("^###\\s+kind\\s+`([a-z0-9_]+)`.*$");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z0-9_]+)`\\s*\\|\\s*([a-z_]+)\\s*\\|\\s*(.*?)\\s*\\|\\s*(.*?)\\s*\\|\\s*$");

    private PluginDocs() {
    }

    /** Every mismatch between the docs in {@code pluginDir} and the factories' declarations. */
    public static List<String> problems(Path pluginDir, List<MonitorFactory> factories) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String[]>> documented = readmeTables(pluginDir.resolve("README.md"));
        Map<String, Map<String, Object>> samples = sampleOptions(pluginDir.resolve("sample.yaml"));
        for (MonitorFactory factory : factories) {
            String kind = factory.kind();
            Map<String, String[]> rows = documented.remove(kind);
            Map<String, Object> sample = samples.remove(kind);
            if (rows == null) {
                problems.add("README.md has no \"### kind `" + kind + "`\" option table");
            }
            if (sample == null) {
                problems.add("sample.yaml has no monitor of kind " + kind);
                sample = Map.of();
            }
            for (OptionSpec spec : factory.options()) {
                String where = "kind " + kind + " option " + spec.name();
                if (rows != null) {
                    String[] row = rows.remove(spec.name());
                    if (row == null) {
                        problems.add("README.md lacks " + where);
                    } else {
                        checkRow(where, spec, row, problems);
                    }
                }
                Object sampled = sample.get(spec.name());
                if (spec.defaultValue() != null) {
                    if (sampled == null) {
                        problems.add("sample.yaml lacks " + where + " at its default");
                    } else if (!parsesTo(spec, sampled)) {
                        problems.add("sample.yaml sets " + where + " to " + sampled + ", the default is " + spec.defaultValue());
                    }
                }
            }
            if (rows != null) {
                rows.keySet().forEach(o -> problems.add("README.md documents kind " + kind + " option " + o + ", which is not declared"));
            }
            for (String o : sample.keySet()) {
                if (factory.options().stream().noneMatch(s -> s.name().equals(o))) {
                    problems.add("sample.yaml sets kind " + kind + " option " + o + ", which is not declared");
                }
            }
        }
        documented.keySet().forEach(k -> problems.add("README.md documents kind " + k + ", which no factory offers"));
        return problems;
    }

    private static void checkRow(String where, OptionSpec spec, String[] row, List<String> problems) {
        String type = spec.type().name().toLowerCase(Locale.ROOT);
        if (!row[0].equals(type)) {
            problems.add("README.md gives " + where + " type " + row[0] + ", declared " + type);
        }
        String dflt = row[1].replace("`", "").trim();
        if (spec.required()) {
            if (!dflt.equals("required")) {
                problems.add("README.md should say " + where + " is required, says " + row[1]);
            }
        } else if (spec.defaultValue() == null) {
            if (!dflt.equals("—") && !dflt.isEmpty()) {
                problems.add("README.md gives " + where + " default " + row[1] + ", it has none");
            }
        } else if (!parsesTo(spec, dflt)) {
            problems.add("README.md gives " + where + " default " + row[1] + ", declared " + spec.defaultValue());
        }
        if (!row[2].equals(spec.description())) {
            problems.add("README.md describes " + where + " as \"" + row[2] + "\", declared \"" + spec.description() + "\"");
        }
    }

    private static boolean parsesTo(OptionSpec spec, Object written) {
        try {
            // A list or map default is written in the README as YAML flow: [a, b] or {k: v}.
            if (written instanceof String text
                    && (spec.type() == io.vigil.api.OptionType.STRING_LIST || spec.type() == io.vigil.api.OptionType.STRING_MAP)) {
                written = new Yaml().load(text);
            }
            return spec.type().parse(written).equals(spec.defaultValue());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, Map<String, String[]>> readmeTables(Path readme) throws IOException {
        Map<String, Map<String, String[]>> tables = new LinkedHashMap<>();
        Map<String, String[]> current = null;
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            Matcher heading = KIND_HEADING.matcher(line);
            if (heading.matches()) {
                current = new LinkedHashMap<>();
                tables.put(heading.group(1), current);
            } else if (line.startsWith("#")) {
                current = null;
            } else if (current != null) {
                Matcher row = ROW.matcher(line);
                if (row.matches()) {
                    current.put(row.group(1), new String[] {row.group(2), row.group(3), row.group(4)});
                }
            }
        }
        return tables;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> sampleOptions(Path sample) throws IOException {
        Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
        try (Reader reader = Files.newBufferedReader(sample, StandardCharsets.UTF_8)) {
            Map<String, Object> root = new Yaml().load(reader);
            for (Map<String, Object> monitor : (List<Map<String, Object>>) root.get("monitors")) {
                Object options = monitor.get("options");
                byKind.put(String.valueOf(monitor.get("kind")),
                        options == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, Object>) options));
            }
        }
        return byKind;
    }
}
