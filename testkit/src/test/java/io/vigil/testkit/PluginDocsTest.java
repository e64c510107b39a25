package io.vigil.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.Monitor;
import io.vigil.api.MonitorContext;
import io.vigil.api.MonitorFactory;
import io.vigil.api.OptionSpec;
import io.vigil.api.OptionType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDocsTest {

    @TempDir
    Path dir;

    private static final MonitorFactory FACTORY = new MonitorFactory() {
        public String kind() {
            return "watch";
        }

        public String description() {
            return "test";
        }

        public List<OptionSpec> options() {
            return List.of(
                    OptionSpec.of("paths", OptionType.STRING_LIST, "What to watch").asRequired(),
                    OptionSpec.of("exclude", OptionType.STRING_LIST, "Globs to skip").withDefault(List.of("*.swp", "*~")),
                    OptionSpec.of("interval", OptionType.DURATION, "How often").withDefault("30s"));
        }

        public Monitor create(MonitorContext context) {
            throw new UnsupportedOperationException();
        }
    };

    private List<String> problems(String table, String sample) throws Exception {
        Files.writeString(dir.resolve("README.md"), "# test\n\n## Options\n\n### kind `watch`\n\n"
                + "| option | type | default | description |\n| --- | --- | --- | --- |\n" + table + "\n## Events\n");
        Files.writeString(dir.resolve("sample.yaml"), sample);
        return PluginDocs.problems(dir, List.of(FACTORY));
    }

    private static final String SAMPLE = """
            monitors:
              - {name: w, plugin: p, kind: watch, options: {exclude: ["*.swp", "*~"], interval: 30s}}
            """;

    @Test
    void docsThatMatchTheDeclarationsHaveNoProblemsIncludingAListDefault() throws Exception {
        assertEquals(List.of(), problems("""
                | `paths` | string_list | required | What to watch |
                | `exclude` | string_list | `["*.swp", "*~"]` | Globs to skip |
                | `interval` | duration | `30s` | How often |
                """, SAMPLE));
    }

    @Test
    void eachDriftIsNamed() throws Exception {
        assertEquals(List.of(
                "README.md should say kind watch option paths is required, says —",
                "README.md gives kind watch option exclude default `[\"*.swp\"]`, declared [*.swp, *~]",
                "README.md describes kind watch option interval as \"How often?\", declared \"How often\"",
                "sample.yaml sets kind watch option interval to 1m, the default is PT30S"), problems("""
                | `paths` | string_list | — | What to watch |
                | `exclude` | string_list | `["*.swp"]` | Globs to skip |
                | `interval` | duration | `30s` | How often? |
                """, SAMPLE.replace("interval: 30s", "interval: 1m")));
    }
}
