package io.vigil.plugin.schema.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void tablePatternsWithADotMatchSchemaAndTable() {
        Scope scope = new Scope(List.of(), List.of("audit*"), List.of(), List.of("tmp_*", "public.old?"));
        assertTrue(scope.tableIncluded("public", "orders"));
        assertFalse(scope.tableIncluded("sales", "TMP_load"));
        assertFalse(scope.tableIncluded("public", "old1"));
        assertTrue(scope.tableIncluded("sales", "old1"));
        assertFalse(scope.schemaIncluded("audit_2024", true));
        assertFalse(new Scope(List.of("app"), List.of(), List.of(), List.of()).schemaIncluded("other", true));
        assertTrue(new Scope(List.of("app"), List.of(), List.of(), List.of()).schemaIncluded("APP", false));
    }
}
