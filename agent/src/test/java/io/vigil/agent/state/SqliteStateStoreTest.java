package io.vigil.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.StateStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest {

    @TempDir
    Path dir;

    @Test
    void valuesSurviveReopeningAndEachMonitorSeesOnlyItsOwnKeys() throws Exception {
        Path file = dir.resolve("state.db");
        try (SqliteStateStore store = SqliteStateStore.open(file)) {
            store.forMonitor("a").put("cursor", "42");
            store.forMonitor("b").put("cursor", "7");
        }
        try (SqliteStateStore store = SqliteStateStore.open(file)) {
            assertEquals(Optional.of("42"), store.forMonitor("a").get("cursor"));
            assertEquals(Optional.of("7"), store.forMonitor("b").get("cursor"));
            assertEquals(Optional.empty(), store.forMonitor("c").get("cursor"));
        }
    }

    @Test
    void entriesByPrefixTreatsLikeWildcardsLiterally() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(dir.resolve("state.db"))) {
            StateStore s = store.forMonitor("files");
            s.putAll(Map.of("file:/a", "1", "file:/b", "2", "fileX", "3", "f%", "4"));
            assertEquals(Map.of("file:/a", "1", "file:/b", "2"), s.entries("file:"));
            assertEquals(Map.of("f%", "4"), s.entries("f%"));
            s.remove("file:/a");
            assertEquals(Map.of("file:/b", "2"), s.entries("file:"));
        }
    }
}
