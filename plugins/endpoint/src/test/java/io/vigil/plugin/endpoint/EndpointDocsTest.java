package io.vigil.plugin.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.testkit.PluginDocs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointDocsTest {

    @Test
    void readmeAndSampleMatchTheDeclaredOptions() throws Exception {
        assertEquals(List.of(), PluginDocs.problems(Path.of("."),
                List.of(new TcpMonitorFactory(), new TlsMonitorFactory(), new HttpMonitorFactory())));
    }
}
