package io.vigil.plugin.docker;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which containers the monitor follows: by name (glob patterns, any may match) and by label
 * ({@code key} or {@code key=value}, all must match). Empty lists follow every container.
 */
final class ContainerFilter {

    private final List<Pattern> names;
    private final List<String[]> labels;

    ContainerFilter(List<String> nameGlobs, List<String> labelRules) {
        this.names = nameGlobs.stream().map(ContainerFilter::glob).toList();
        this.labels = labelRules.stream().map(rule -> {
            int eq = rule.indexOf('=');
            return eq < 0 ? new String[] {rule, null} : new String[] {rule.substring(0, eq), rule.substring(eq + 1)};
        }).toList();
    }

    boolean includes(String name, Map<String, String> containerLabels) {
        if (!names.isEmpty() && names.stream().noneMatch(p -> p.matcher(name == null ? "" : name).matches())) {
            return false;
        }
        for (String[] rule : labels) {
            String value = containerLabels.get(rule[0]);
            if (value == null || rule[1] != null && !rule[1].equals(value)) {
                return false;
            }
        }
        return true;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
