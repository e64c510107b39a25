package io.vigil.plugin.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Severity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScopeAndRulesTest {

    @Test
    void aGlobWithoutSlashMatchesTheFileNameAndOneWithSlashTheWholePath() {
        GlobSet globs = GlobSet.of(List.of("*.swp", "/var/log/**"));
        assertTrue(globs.matches(Path.of("/etc/deep/dir/.x.swp")));
        assertTrue(globs.matches(Path.of("/var/log/syslog")));
        assertFalse(globs.matches(Path.of("/etc/passwd")));
    }

    @Test
    void everythingBelowAnExcludedDirectoryIsOutOfScope() {
        Scope scope = new Scope(List.of(Path.of("/srv")), GlobSet.empty(), GlobSet.of(List.of("cache")));
        assertTrue(scope.covers(Path.of("/srv/app/main.py")));
        assertFalse(scope.covers(Path.of("/srv/app/cache")));
        assertFalse(scope.covers(Path.of("/srv/app/cache/x/y")));
        assertFalse(scope.covers(Path.of("/etc/passwd")));
    }

    @Test
    void nestedRootsCollapseIntoTheOuterOne() {
        Scope scope = new Scope(List.of(Path.of("/etc/ssh"), Path.of("/etc"), Path.of("/etcetera")),
                GlobSet.empty(), GlobSet.empty());
        assertEquals(List.of(Path.of("/etc"), Path.of("/etcetera")), scope.roots());
    }

    @Test
    void aRootNamedExplicitlyIsRecordedEvenIfTheIncludeGlobsMissIt() {
        Scope scope = new Scope(List.of(Path.of("/etc/passwd"), Path.of("/srv")), GlobSet.of(List.of("*.conf")),
                GlobSet.empty());
        assertTrue(scope.records(Path.of("/etc/passwd")));
        assertTrue(scope.records(Path.of("/srv/a.conf")));
        assertFalse(scope.records(Path.of("/srv/a.txt")));
        assertFalse(scope.records(Path.of("/etc/group")));
    }

    @Test
    void theHighestMatchingSeverityWinsWhateverTheRuleOrder() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("/var/lib/pgsql/**", "high");
        rules.put("deleted:/var/lib/pgsql/**", "critical");
        rules.put("*.log", "info");
        SeverityRules severities = SeverityRules.parse(rules, Severity.LOW);

        assertEquals(Severity.CRITICAL, severities.of(ChangeType.DELETED, Path.of("/var/lib/pgsql/base/1")));
        assertEquals(Severity.HIGH, severities.of(ChangeType.MODIFIED, Path.of("/var/lib/pgsql/base/1")));
        assertEquals(Severity.INFO, severities.of(ChangeType.MODIFIED, Path.of("/srv/app.log")));
        assertEquals(Severity.LOW, severities.of(ChangeType.MODIFIED, Path.of("/etc/hosts")));
    }

    @Test
    void aRenameGetsTheHigherSeverityOfItsOldAndNewName() {
        SeverityRules severities = SeverityRules.parse(Map.of("/etc/shadow", "critical"), Severity.LOW);
        Change moved = new Change(ChangeType.RENAMED, Path.of("/tmp/x"), null, null, Path.of("/etc/shadow"));
        assertEquals(Severity.CRITICAL, severities.of(moved));
    }

    @Test
    void anUnknownSeverityInARuleIsRefusedNamingTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeverityRules.parse(Map.of("*.conf", "urgent"), Severity.LOW));
        assertEquals("severity rule \"*.conf: urgent\": unknown severity \"urgent\": expected one of info, low, medium, high, critical",
                e.getMessage());
    }
}
