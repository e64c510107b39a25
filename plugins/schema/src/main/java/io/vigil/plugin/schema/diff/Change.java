package io.vigil.plugin.schema.diff;

import io.vigil.api.Severity;
import io.vigil.plugin.schema.snapshot.ObjectKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One difference between two snapshots, with its risk.
 *
 * @param action what happened to the object
 * @param kind   what kind of object
 * @param name   the object's display name (after the change, for a rename)
 * @param from   the display name before a rename, else {@code null}
 * @param label  the engine's name of a constraint or index, else {@code null}
 * @param risk   how dangerous the change is for the applications using the database
 * @param rules  the rules that matched, the one that set the risk first
 * @param before the object's properties before, or {@code null} when it was added
 * @param after  the object's properties after, or {@code null} when it was removed
 */
public record Change(Action action, ObjectKind kind, String name, String from, String label, Severity risk,
                     List<String> rules, Map<String, Object> before, Map<String, Object> after) {

    /** What happened to an object. */
    public enum Action {
        REMOVED, RENAMED, ALTERED, ADDED;

        /** The attribute list the change goes in: {@code removed}, {@code renamed}, ... */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Freezes the rules. */
    public Change {
        rules = List.copyOf(rules);
    }

    /** The change as an event attribute value. */
    public Map<String, Object> toAttributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", kind.wireName());
        m.put("name", name);
        if (from != null) {
            m.put("from", from);
        }
        if (label != null) {
            m.put("label", label);
        }
        m.put("risk", risk.wireName());
        m.put("rules", rules);
        if (before != null) {
            m.put("before", before);
        }
        if (after != null) {
            m.put("after", after);
        }
        return m;
    }

    /** One line: {@code column public.orders.note added (low)}. */
    public String summary() {
        String what = kind.wireName().replace('_', ' ') + " " + (from != null ? from + " -> " + name : name);
        return what + " " + switch (action) {
            case REMOVED -> "dropped";
            case RENAMED -> "renamed";
            case ALTERED -> "altered";
            case ADDED -> "added";
        } + " (" + risk.wireName() + ")";
    }
}
