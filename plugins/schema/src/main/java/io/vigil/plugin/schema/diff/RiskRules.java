package io.vigil.plugin.schema.diff;

import io.vigil.api.Severity;
import io.vigil.plugin.schema.snapshot.ObjectKind;
import io.vigil.plugin.schema.snapshot.SchemaObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The risk of each kind of schema change, from the point of view of the applications that use
 * the database: a change that breaks queries that used to work, or loses data, is high or
 * critical; one that makes writes that used to succeed fail is medium (or high when every insert
 * that leaves the column out fails); one that only adds is low. The README's risk table is this
 * class in words; keep them together.
 */
public final class RiskRules {

    /** A risk and the rules that gave it, highest first. */
    public record Verdict(Severity risk, List<String> rules) {
    }

    private final String engine;

    /** Rules for an engine ({@code postgresql}, {@code mariadb}, {@code sqlite}). */
    public RiskRules(String engine) {
        this.engine = engine;
    }

    /** An object that is new. */
    public Verdict added(SchemaObject o) {
        return switch (o.kind()) {
            case SCHEMA -> of(Severity.LOW, "schema.added");
            case TABLE -> of(Severity.LOW, "table.added");
            case VIEW -> of(Severity.LOW, "view.added");
            case ROUTINE -> of(Severity.LOW, "routine.added");
            case COLUMN -> Boolean.TRUE.equals(o.props().get("nullable")) || o.props().get("default") != null
                    || o.props().get("generated") != null || o.props().get("identity") != null
                    ? of(Severity.LOW, "column.added")
                    // every INSERT that does not name the column now fails
                    : of(Severity.HIGH, "column.added_not_null_without_default");
            case INDEX -> o.name().startsWith("unique ") ? of(Severity.MEDIUM, "index.added_unique")
                    : of(Severity.LOW, "index.added");
            // new constraints reject writes that used to succeed
            case PRIMARY_KEY -> of(Severity.MEDIUM, "primary_key.added");
            case UNIQUE -> of(Severity.MEDIUM, "unique.added");
            case FOREIGN_KEY -> of(Severity.MEDIUM, "foreign_key.added");
            case CHECK -> of(Severity.MEDIUM, "check.added");
            case TRIGGER -> of(Severity.MEDIUM, "trigger.added");
        };
    }

    /** An object that is gone. */
    public Verdict removed(SchemaObject o) {
        return switch (o.kind()) {
            case SCHEMA -> of(Severity.CRITICAL, "schema.dropped");
            case TABLE -> of(Severity.CRITICAL, "table.dropped");
            case COLUMN -> of(Severity.CRITICAL, "column.dropped");
            case VIEW -> of(Severity.HIGH, "view.dropped");
            case ROUTINE -> of(Severity.HIGH, "routine.dropped");
            case PRIMARY_KEY -> of(Severity.HIGH, "primary_key.dropped");
            case UNIQUE -> of(Severity.MEDIUM, "unique.dropped");
            case FOREIGN_KEY -> of(Severity.MEDIUM, "foreign_key.dropped");
            case CHECK -> of(Severity.MEDIUM, "check.dropped");
            case INDEX -> of(Severity.MEDIUM, "index.dropped");
            case TRIGGER -> of(Severity.MEDIUM, "trigger.dropped");
        };
    }

    /** A table or column that now has another name (seen as a drop and an identical add). */
    public Verdict renamed(ObjectKind kind) {
        return of(Severity.HIGH, kind.wireName() + ".renamed");
    }

    /** An object whose identity stayed and whose properties changed. */
    public Verdict altered(SchemaObject before, SchemaObject after) {
        List<Verdict> found = new ArrayList<>();
        Map<String, Object> a = before.props();
        Map<String, Object> b = after.props();
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String key : keys) {
            Object x = a.get(key);
            Object y = b.get(key);
            if (Objects.equals(x, y)) {
                continue;
            }
            found.add(property(before.kind(), key, x, y, b));
        }
        if (found.isEmpty()) {
            return of(Severity.MEDIUM, before.kind().wireName() + ".altered");
        }
        found.sort(Comparator.comparing(Verdict::risk).reversed());
        List<String> rules = new ArrayList<>();
        found.forEach(v -> rules.addAll(v.rules()));
        return new Verdict(found.get(0).risk(), rules);
    }

    private Verdict property(ObjectKind kind, String key, Object before, Object after, Map<String, Object> now) {
        switch (kind) {
            case COLUMN:
                switch (key) {
                    case "type":
                        return switch (ColumnType.compare((String) before, (String) after, engine)) {
                            case WIDENED, SAME -> of(Severity.LOW, "column.type_widened");
                            case NARROWED -> of(Severity.HIGH, "column.type_narrowed");
                            case CHANGED -> of(Severity.HIGH, "column.type_changed");
                        };
                    case "nullable":
                        if (Boolean.TRUE.equals(after)) {
                            return of(Severity.LOW, "column.not_null_dropped");
                        }
                        return now.get("default") != null ? of(Severity.MEDIUM, "column.not_null_added")
                                : of(Severity.HIGH, "column.not_null_added_without_default");
                    case "default":
                        if (before == null) {
                            return of(Severity.LOW, "column.default_added");
                        }
                        if (after == null) {
                            return Boolean.FALSE.equals(now.get("nullable"))
                                    ? of(Severity.HIGH, "column.default_dropped_on_not_null")
                                    : of(Severity.MEDIUM, "column.default_dropped");
                        }
                        return of(Severity.MEDIUM, "column.default_changed");
                    default:
                        return of(Severity.MEDIUM, "column." + key + "_changed");
                }
            case VIEW:
                return of(Severity.MEDIUM, key.equals("definition") ? "view.definition_changed" : "view.altered");
            case TRIGGER:
                if (key.equals("enabled")) {
                    return "disabled".equals(after) ? of(Severity.MEDIUM, "trigger.disabled")
                            : of(Severity.LOW, "trigger.enabled");
                }
                return of(Severity.MEDIUM, "trigger.definition_changed");
            case ROUTINE:
                return key.equals("returns") || key.equals("arguments") ? of(Severity.HIGH, "routine.signature_changed")
                        : of(Severity.MEDIUM, "routine.changed");
            case FOREIGN_KEY:
                if (key.equals("on_delete") && "CASCADE".equals(after)) {
                    // deleting a parent row now silently deletes its children
                    return of(Severity.HIGH, "foreign_key.on_delete_cascade");
                }
                if (key.equals("on_delete") || key.equals("on_update")) {
                    return of(Severity.MEDIUM, "foreign_key." + key + "_changed");
                }
                // fall through: validation is the same for both
            case CHECK:
                if (key.equals("validated")) {
                    return after == null ? of(Severity.LOW, kind.wireName() + ".validated")
                            : of(Severity.MEDIUM, kind.wireName() + ".not_validated");
                }
                return of(Severity.MEDIUM, kind.wireName() + ".altered");
            case INDEX:
                if (key.equals("valid")) {
                    return after == null ? of(Severity.LOW, "index.became_valid") : of(Severity.MEDIUM, "index.invalid");
                }
                return of(Severity.MEDIUM, "index.altered");
            default:
                return of(Severity.MEDIUM, kind.wireName() + ".altered");
        }
    }

    private static Verdict of(Severity risk, String rule) {
        return new Verdict(risk, List.of(rule));
    }
}
