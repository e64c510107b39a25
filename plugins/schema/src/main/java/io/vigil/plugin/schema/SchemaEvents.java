package io.vigil.plugin.schema;

import io.vigil.api.Event;
import io.vigil.api.Severity;
import io.vigil.plugin.schema.diff.Change;
import io.vigil.plugin.schema.diff.SchemaDiff;
import io.vigil.plugin.schema.snapshot.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The events the schema monitor emits; the README's events table describes these. */
final class SchemaEvents {

    /** More changes than this are counted in {@code omitted}, lowest risks first. */
    static final int MAX_LISTED = 100;

    private final String plugin;
    private final String database;
    private final String engine;

    SchemaEvents(String plugin, String database, String engine) {
        this.plugin = plugin;
        this.database = database;
        this.engine = engine;
    }

    Event baseline(Snapshot snapshot, String reason, double seconds, Instant now) {
        Map<String, Object> counts = snapshot.counts();
        return Event.builder("schema.baseline")
                .severity(Severity.INFO)
                .subject(database)
                .title(title("Schema baseline recorded for " + database + ": " + counts.get("tables") + " tables, "
                        + counts.get("columns") + " columns, " + counts.get("indexes") + " indexes (" + reason + ")"))
                .attribute("database", database)
                .attribute("engine", engine)
                .attribute("reason", reason)
                .attribute("hash", snapshot.hash())
                .attribute("counts", counts)
                .attribute("snapshot_seconds", round(seconds))
                .time(now)
                .build();
    }

    Event changed(Snapshot before, Snapshot after, List<Change> changes, Instant now) {
        Severity highest = SchemaDiff.highestRisk(changes);
        Map<String, List<Object>> lists = new LinkedHashMap<>();
        for (Change.Action action : Change.Action.values()) {
            lists.put(action.wireName(), new ArrayList<>());
        }
        int listed = 0;
        for (Change c : changes) {
            if (listed++ < MAX_LISTED) {
                lists.get(c.action().wireName()).add(c.toAttributes());
            }
        }
        Event.Builder b = Event.builder("schema.changed")
                .severity(highest)
                .subject(database)
                .title(title(changes.size() + (changes.size() == 1 ? " schema change" : " schema changes") + " in "
                        + database + ", highest " + highest.wireName() + ": " + changes.get(0).summary()))
                .attribute("database", database)
                .attribute("engine", engine)
                .attribute("hash_before", before.hash())
                .attribute("hash_after", after.hash())
                .attribute("change_count", changes.size())
                .attribute("highest_risk", highest.wireName())
                .attribute("counts", after.counts());
        lists.forEach(b::attribute);
        if (changes.size() > MAX_LISTED) {
            b.attribute("omitted", changes.size() - MAX_LISTED);
        }
        return b.time(now).build();
    }

    Event unreachable(String reason, Instant now) {
        return Event.builder("schema.unreachable")
                .severity(Severity.HIGH)
                .subject(database)
                .title(title(database + " is unreachable: " + reason))
                .attribute("database", database)
                .attribute("engine", engine)
                .attribute("reason", reason)
                .fingerprint(reachabilityFingerprint())
                .time(now)
                .build();
    }

    Event reachable(Instant since, Instant now) {
        Duration down = Duration.between(since, now);
        return Event.builder("schema.reachable")
                .severity(Severity.INFO)
                .subject(database)
                .title(title(database + " is reachable again after " + down.getSeconds() + "s"))
                .attribute("database", database)
                .attribute("engine", engine)
                .attribute("unreachable_since", since.toString())
                .attribute("down_seconds", down.getSeconds())
                .fingerprint(reachabilityFingerprint())
                .time(now)
                .build();
    }

    Event immediateUnavailable(String reason, Instant now) {
        return Event.builder("schema.immediate.unavailable")
                .severity(Severity.LOW)
                .subject(database)
                .title(title("Immediate schema change detection is unavailable for " + database
                        + ", changes are found by polling: " + reason))
                .attribute("database", database)
                .attribute("engine", engine)
                .attribute("reason", reason)
                .time(now)
                .build();
    }

    /** One fingerprint for unreachable and reachable, so the second resolves the alert of the first. */
    String reachabilityFingerprint() {
        return Event.defaultFingerprint(plugin, "schema.reachability", database);
    }

    private static String title(String text) {
        return text.length() <= Event.MAX_TEXT_LENGTH ? text : text.substring(0, Event.MAX_TEXT_LENGTH - 1) + "…";
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
