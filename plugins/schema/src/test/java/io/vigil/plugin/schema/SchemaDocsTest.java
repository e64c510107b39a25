package io.vigil.plugin.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.plugin.schema.immediate.PostgresEventTrigger;
import io.vigil.testkit.PluginDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaDocsTest {

    @Test
    void readmeAndSampleMatchTheDeclaredOptions() throws Exception {
        assertEquals(List.of(), PluginDocs.problems(Path.of("."), List.of(new SchemaMonitorFactory())));
    }

    @Test
    void theReadmeShowsTheInstallSqlTheMonitorRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (String line : PostgresEventTrigger.INSTALL_SQL.split("\n")) {
            assertTrue(readme.contains(line), "README.md lacks the install SQL line: " + line);
        }
    }
}
