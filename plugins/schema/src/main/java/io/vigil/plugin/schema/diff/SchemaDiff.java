package io.vigil.plugin.schema.diff;

import io.vigil.api.Severity;
import io.vigil.plugin.schema.snapshot.CanonicalJson;
import io.vigil.plugin.schema.snapshot.ObjectKind;
import io.vigil.plugin.schema.snapshot.RelationName;
import io.vigil.plugin.schema.snapshot.SchemaObject;
import io.vigil.plugin.schema.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The differences between two snapshots of one database, as the changes a person would name.
 *
 * <ul>
 *   <li>A dropped or added table or view is one change; its columns, keys, indexes and triggers
 *   are listed inside it, not as changes of their own.</li>
 *   <li>A table dropped and another added with exactly the same structure (columns, keys,
 *   indexes, triggers) is a rename; foreign keys of other tables that now point at the new name
 *   are part of it. Ambiguous cases (two identical tables) stay a drop and an add.</li>
 *   <li>Within a table, exactly one column dropped and one added with the same type,
 *   nullability and default is a column rename; the keys and indexes that only changed the
 *   column's name are part of it.</li>
 *   <li>Everything else is an object added, removed or altered, each classified by
 *   {@link RiskRules}.</li>
 * </ul>
 */
public final class SchemaDiff {

    private static final RelationName SELF = new RelationName("", "\u0000self");

    private SchemaDiff() {
    }

    /** The changes from {@code before} to {@code after}, highest risk first, then by action and name. */
    public static List<Change> between(Snapshot before, Snapshot after) {
        RiskRules rules = new RiskRules(after.engine());
        Map<String, SchemaObject> removed = new TreeMap<>(before.objects());
        Map<String, SchemaObject> added = new TreeMap<>(after.objects());
        List<Change> changes = new ArrayList<>();

        for (String key : before.objects().keySet()) {
            SchemaObject now = after.objects().get(key);
            if (now != null) {
                removed.remove(key);
                added.remove(key);
                SchemaObject was = before.objects().get(key);
                if (!was.props().equals(now.props())) {
                    RiskRules.Verdict v = rules.altered(was, now);
                    changes.add(new Change(Change.Action.ALTERED, now.kind(), now.displayName(), null, now.label(),
                            v.risk(), v.rules(), was.props(), now.props()));
                }
            }
        }

        Map<RelationName, RelationName> renames = tableRenames(removed, added, before, after);
        renames.forEach((from, to) -> {
            RiskRules.Verdict v = rules.renamed(ObjectKind.TABLE);
            changes.add(new Change(Change.Action.RENAMED, ObjectKind.TABLE, to.toString(), from.toString(), null,
                    v.risk(), v.rules(), null, null));
            removed.values().removeIf(o -> from.equals(o.relation()));
            added.values().removeIf(o -> to.equals(o.relation()));
        });
        absorb(removed, added, o -> o.withRelationsRenamed(renames));

        columnRenames(removed, added, rules, changes);

        Set<RelationName> droppedRelations = relationsOf(removed);
        Set<RelationName> newRelations = relationsOf(added);
        for (SchemaObject o : removed.values()) {
            if (o.kind().isRelation()) {
                RiskRules.Verdict v = rules.removed(o);
                changes.add(new Change(Change.Action.REMOVED, o.kind(), o.displayName(), null, o.label(), v.risk(),
                        v.rules(), withColumns(o, before), null));
            } else if (!droppedRelations.contains(o.relation())) {
                RiskRules.Verdict v = rules.removed(o);
                changes.add(new Change(Change.Action.REMOVED, o.kind(), o.displayName(), null, o.label(), v.risk(),
                        v.rules(), o.props(), null));
            }
        }
        for (SchemaObject o : added.values()) {
            if (o.kind().isRelation()) {
                RiskRules.Verdict v = rules.added(o);
                changes.add(new Change(Change.Action.ADDED, o.kind(), o.displayName(), null, o.label(), v.risk(),
                        v.rules(), null, withColumns(o, after)));
            } else if (!newRelations.contains(o.relation())) {
                RiskRules.Verdict v = rules.added(o);
                changes.add(new Change(Change.Action.ADDED, o.kind(), o.displayName(), null, o.label(), v.risk(),
                        v.rules(), null, o.props()));
            }
        }
        changes.sort(Comparator.comparing(Change::risk, Comparator.reverseOrder())
                .thenComparing(Change::action)
                .thenComparing(Change::name));
        return changes;
    }

    /** The highest risk among {@code changes}; {@link Severity#INFO} when there are none. */
    public static Severity highestRisk(List<Change> changes) {
        return changes.stream().map(Change::risk).max(Comparator.naturalOrder()).orElse(Severity.INFO);
    }

    private static Set<RelationName> relationsOf(Map<String, SchemaObject> objects) {
        Set<RelationName> out = new LinkedHashSet<>();
        objects.values().stream().filter(o -> o.kind().isRelation()).forEach(o -> out.add(o.relation()));
        return out;
    }

    /** A relation's properties plus its columns, as a dropped or added table is shown. */
    private static Map<String, Object> withColumns(SchemaObject relation, Snapshot in) {
        Map<String, Object> m = new LinkedHashMap<>(relation.props());
        Map<String, Object> columns = new TreeMap<>();
        int parts = 0;
        for (SchemaObject o : in.objects().values()) {
            if (relation.relation().equals(o.relation()) && !o.kind().isRelation()) {
                if (o.kind() == ObjectKind.COLUMN) {
                    columns.put(o.name(), o.props());
                } else {
                    parts++;
                }
            }
        }
        m.put("columns", columns);
        m.put("other_parts", (long) parts);
        return m;
    }

    private static Map<RelationName, RelationName> tableRenames(Map<String, SchemaObject> removed,
                                                                Map<String, SchemaObject> added,
                                                                Snapshot before, Snapshot after) {
        Map<String, List<RelationName>> gone = new HashMap<>();
        Map<String, List<RelationName>> fresh = new HashMap<>();
        removed.values().stream().filter(o -> o.kind() == ObjectKind.TABLE)
                .forEach(o -> gone.computeIfAbsent(structure(o.relation(), before), k -> new ArrayList<>()).add(o.relation()));
        added.values().stream().filter(o -> o.kind() == ObjectKind.TABLE)
                .forEach(o -> fresh.computeIfAbsent(structure(o.relation(), after), k -> new ArrayList<>()).add(o.relation()));
        Map<RelationName, RelationName> renames = new TreeMap<>();
        gone.forEach((signature, from) -> {
            List<RelationName> to = fresh.get(signature);
            if (from.size() == 1 && to != null && to.size() == 1) {
                renames.put(from.get(0), to.get(0));
            }
        });
        return renames;
    }

    /** Everything about a table but its own name, as text: equal for a table and its renamed self. */
    private static String structure(RelationName table, Snapshot in) {
        List<String> parts = new ArrayList<>();
        Map<RelationName, RelationName> anonymous = Map.of(table, SELF);
        for (SchemaObject o : in.objects().values()) {
            if (table.equals(o.relation())) {
                SchemaObject a = o.withRelationsRenamed(anonymous);
                parts.add(CanonicalJson.write(List.of(a.kind().wireName(), a.kind().isRelation() ? "" : a.name(),
                        a.props())));
            }
        }
        parts.sort(null);
        return String.join("\n", parts);
    }

    /** Drops every removed object that, rewritten, is one of the added objects, and that added object. */
    private static void absorb(Map<String, SchemaObject> removed, Map<String, SchemaObject> added,
                               java.util.function.UnaryOperator<SchemaObject> rewrite) {
        for (SchemaObject o : new ArrayList<>(removed.values())) {
            SchemaObject rewritten = rewrite.apply(o);
            SchemaObject match = added.get(rewritten.key());
            if (match != null && match.props().equals(rewritten.props())) {
                removed.remove(o.key());
                added.remove(match.key());
            }
        }
    }

    private static void columnRenames(Map<String, SchemaObject> removed, Map<String, SchemaObject> added,
                                      RiskRules rules, List<Change> changes) {
        Set<RelationName> droppedRelations = relationsOf(removed);
        Set<RelationName> newRelations = relationsOf(added);
        Map<RelationName, List<SchemaObject>> goneColumns = new TreeMap<>();
        Map<RelationName, List<SchemaObject>> newColumns = new TreeMap<>();
        removed.values().stream().filter(o -> o.kind() == ObjectKind.COLUMN && !droppedRelations.contains(o.relation()))
                .forEach(o -> goneColumns.computeIfAbsent(o.relation(), k -> new ArrayList<>()).add(o));
        added.values().stream().filter(o -> o.kind() == ObjectKind.COLUMN && !newRelations.contains(o.relation()))
                .forEach(o -> newColumns.computeIfAbsent(o.relation(), k -> new ArrayList<>()).add(o));
        goneColumns.forEach((relation, gone) -> {
            List<SchemaObject> fresh = newColumns.get(relation);
            if (gone.size() != 1 || fresh == null || fresh.size() != 1
                    || !gone.get(0).props().equals(fresh.get(0).props())) {
                return;
            }
            SchemaObject from = gone.get(0);
            SchemaObject to = fresh.get(0);
            removed.remove(from.key());
            added.remove(to.key());
            RiskRules.Verdict v = rules.renamed(ObjectKind.COLUMN);
            changes.add(new Change(Change.Action.RENAMED, ObjectKind.COLUMN, to.displayName(), from.displayName(), null,
                    v.risk(), v.rules(), null, null));
            absorb(removed, added, o -> o.withColumnRenamed(relation, from.name(), to.name()));
        });
    }
}
