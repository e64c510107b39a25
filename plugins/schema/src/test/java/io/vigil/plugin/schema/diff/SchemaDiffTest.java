package io.vigil.plugin.schema.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.Severity;
import io.vigil.plugin.schema.snapshot.SchemaObject;
import io.vigil.plugin.schema.snapshot.Snapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The diff's grouping rules on hand-built snapshots; the engine tests cover real catalogs. */
class SchemaDiffTest {

    private static List<SchemaObject> twoTables(String parentName) {
        return List.of(SchemaObject.schema("app"),
                SchemaObject.table("app", parentName, null),
                SchemaObject.column("app", parentName, "id", "integer", false, null, null),
                SchemaObject.primaryKey("app", parentName, List.of("id"), parentName + "_pkey"),
                SchemaObject.table("app", "child", null),
                SchemaObject.column("app", "child", "parent_id", "integer", true, null, null),
                SchemaObject.foreignKey("app", "child", List.of("parent_id"), "app", parentName, List.of("id"),
                        "NO ACTION", "NO ACTION", "child_fk", null));
    }

    private static List<String> summaries(List<Change> changes) {
        return changes.stream().map(Change::summary).toList();
    }

    @Test
    void noDifferenceIsNoChange() {
        Snapshot s = Snapshot.of("postgresql", twoTables("parent"));
        assertEquals(List.of(), SchemaDiff.between(s, Snapshot.of("postgresql", twoTables("parent"))));
    }

    @Test
    void labelsAreNotPartOfTheIdentityOrTheHash() {
        List<SchemaObject> renamedConstraints = List.of(SchemaObject.schema("app"),
                SchemaObject.table("app", "parent", null),
                SchemaObject.column("app", "parent", "id", "integer", false, null, null),
                SchemaObject.primaryKey("app", "parent", List.of("id"), "pk_other_name"),
                SchemaObject.table("app", "child", null),
                SchemaObject.column("app", "child", "parent_id", "integer", true, null, null),
                SchemaObject.foreignKey("app", "child", List.of("parent_id"), "app", "parent", List.of("id"),
                        "NO ACTION", "NO ACTION", "fk_other_name", null));
        Snapshot a = Snapshot.of("postgresql", twoTables("parent"));
        Snapshot b = Snapshot.of("postgresql", renamedConstraints);
        assertEquals(a.hash(), b.hash());
        assertEquals(List.of(), SchemaDiff.between(a, b));
    }

    @Test
    void aTableWithTheSameStructureUnderANewNameIsOneRenameIncludingForeignKeysToIt() {
        List<Change> changes = SchemaDiff.between(Snapshot.of("postgresql", twoTables("parent")),
                Snapshot.of("postgresql", twoTables("mother")));
        assertEquals(List.of("table app.parent -> app.mother renamed (high)"), summaries(changes));
    }

    @Test
    void twoIdenticalTablesSwappedForTwoOthersStayDropsAndAdds() {
        List<SchemaObject> before = List.of(SchemaObject.schema("app"), SchemaObject.table("app", "a", null),
                SchemaObject.table("app", "b", null));
        List<SchemaObject> after = List.of(SchemaObject.schema("app"), SchemaObject.table("app", "c", null),
                SchemaObject.table("app", "d", null));
        assertEquals(List.of("table app.a dropped (critical)", "table app.b dropped (critical)",
                        "table app.c added (low)", "table app.d added (low)"),
                summaries(SchemaDiff.between(Snapshot.of("sqlite", before), Snapshot.of("sqlite", after))));
    }

    @Test
    void theEventSeverityIsTheHighestRisk() {
        List<Change> changes = SchemaDiff.between(Snapshot.of("postgresql", twoTables("parent")),
                Snapshot.of("postgresql", List.of(SchemaObject.schema("app"), SchemaObject.table("app", "parent", null),
                        SchemaObject.column("app", "parent", "id", "integer", false, null, null),
                        SchemaObject.column("app", "parent", "name", "text", true, null, null))));
        assertEquals(Severity.CRITICAL, SchemaDiff.highestRisk(changes));
        assertEquals(List.of("table app.child dropped (critical)",
                "primary key app.parent (id) dropped (high)",
                "column app.parent.name added (low)"), summaries(changes));
    }

    @Test
    void droppingTheDefaultOfANotNullColumnIsHigh() {
        SchemaObject before = SchemaObject.column("app", "t", "c", "integer", false, "0", Map.of());
        SchemaObject after = SchemaObject.column("app", "t", "c", "integer", false, null, Map.of());
        assertEquals(new RiskRules.Verdict(Severity.HIGH, List.of("column.default_dropped_on_not_null")),
                new RiskRules("postgresql").altered(before, after));
    }
}
