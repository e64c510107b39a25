package io.vigil.plugin.dbperf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.testkit.PluginDocs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DbPerfDocsTest {

    @Test
    void readmeAndSampleMatchTheDeclaredOptions() throws Exception {
        assertEquals(List.of(), PluginDocs.problems(Path.of("."), List.of(new DbPerfMonitorFactory())));
    }
}
