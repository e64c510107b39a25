package io.vigil.plugin.schema.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.OptionSpec;
import io.vigil.api.StateStore;
import io.vigil.plugin.schema.snapshot.SchemaObject;
import io.vigil.plugin.schema.snapshot.Snapshot;
import io.vigil.testkit.TestMonitorContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselineStoreTest {

    private final StateStore state = TestMonitorContext.forOptions(List.<OptionSpec>of(), Map.of()).state();
    private final BaselineStore store = new BaselineStore(state);

    private static Snapshot bigSnapshot(int tables) {
        List<SchemaObject> objects = new ArrayList<>();
        objects.add(SchemaObject.schema("app"));
        for (int t = 0; t < tables; t++) {
            objects.add(SchemaObject.table("app", "table_" + t, null));
            for (int c = 0; c < 10; c++) {
                objects.add(SchemaObject.column("app", "table_" + t, "column_" + c, "character varying(100)", true,
                        "'x'::character varying", null));
            }
        }
        return Snapshot.of("postgresql", objects);
    }

    @Test
    void aBigSnapshotIsStoredInChunksOfKilobytesAndReadBackWithTheSameHash() {
        Snapshot snapshot = bigSnapshot(200);
        store.save(snapshot, "scope", Instant.parse("2026-01-01T00:00:00Z"));

        Map<String, String> entries = state.entries("baseline.");
        assertTrue(entries.size() > 10, "chunks: " + entries.size());
        assertTrue(entries.values().stream().allMatch(v -> v.length() <= BaselineStore.CHUNK));
        BaselineStore.Baseline loaded = store.load().orElseThrow();
        assertEquals(snapshot.hash(), loaded.snapshot().hash());
        assertEquals("scope", loaded.scope());
    }

    @Test
    void aNewBaselineReplacesTheOldGenerationWhole() {
        store.save(bigSnapshot(200), "scope", Instant.EPOCH);
        Snapshot small = bigSnapshot(1);
        store.save(small, "scope", Instant.EPOCH);

        assertEquals("2", state.get("baseline.generation").orElseThrow());
        assertTrue(state.entries("baseline.1.").isEmpty());
        assertEquals(small.hash(), store.load().orElseThrow().snapshot().hash());
    }

    @Test
    void keysOfAnInterruptedSaveAreCleanedOnTheNextLoad() {
        store.save(bigSnapshot(1), "scope", Instant.EPOCH);
        state.put("baseline.9.chunk.0000", "half-written");
        new BaselineStore(state).load(); // as after a restart

        assertEquals(List.of("baseline.1.chunk.0000", "baseline.1.meta", "baseline.generation"),
                List.copyOf(state.entries("baseline.").keySet()));
    }
}
