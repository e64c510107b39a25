package io.vigil.plugin.schema.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The canonical form of a database schema at one moment: its objects sorted by identity.
 *
 * <p>The {@link #hash()} is SHA-256 over the canonical JSON of the objects (labels left out), so
 * two databases built from the same DDL in any order hash the same, whatever order the catalog
 * returns rows in, whatever OIDs or generated constraint and index names they got.
 */
public final class Snapshot {

    /** Version of the stored form; a baseline of another version is re-recorded, not compared. */
    public static final int FORMAT = 1;

    private final String engine;
    private final String homeSchema;
    private final SortedMap<String, SchemaObject> objects;
    private String hash;

    private Snapshot(String engine, String homeSchema, SortedMap<String, SchemaObject> objects) {
        this.engine = engine;
        this.homeSchema = homeSchema;
        this.objects = Collections.unmodifiableSortedMap(objects);
    }

    /**
     * A snapshot of these objects. Two objects with the same identity (an index defined twice
     * under two names) are told apart by a {@code #2} suffix, given in label order so the
     * result does not depend on the order of {@code objects}.
     */
    public static Snapshot of(String engine, Collection<SchemaObject> objects) {
        return of(engine, null, objects);
    }

    /**
     * A snapshot whose {@code homeSchema} (MariaDB: the database the URL names) is left out of
     * the hash, so {@code shop_staging} and {@code shop_prod} built by the same migrations hash
     * the same. Events still name it.
     */
    public static Snapshot of(String engine, String homeSchema, Collection<SchemaObject> objects) {
        List<SchemaObject> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparing(SchemaObject::key)
                .thenComparing(o -> o.label() == null ? "" : o.label())
                .thenComparing(o -> CanonicalJson.write(o.props())));
        SortedMap<String, SchemaObject> byKey = new TreeMap<>();
        for (SchemaObject o : sorted) {
            SchemaObject unique = o;
            for (int n = 2; byKey.containsKey(unique.key()); n++) {
                unique = o.withNameSuffix(n);
            }
            byKey.put(unique.key(), unique);
        }
        return new Snapshot(engine, homeSchema, byKey);
    }

    /** {@code postgresql}, {@code mariadb} or {@code sqlite}. */
    public String engine() {
        return engine;
    }

    /** The objects by {@link SchemaObject#key()}. */
    public SortedMap<String, SchemaObject> objects() {
        return objects;
    }

    /** Hex SHA-256 of the canonical form. */
    public synchronized String hash() {
        if (hash == null) {
            List<Map<String, Object>> canonical = new ArrayList<>();
            objects.values().forEach(o -> canonical.add(o.canonical(homeSchema)));
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest(CanonicalJson.write(canonical).getBytes(StandardCharsets.UTF_8));
                hash = HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
        return hash;
    }

    /** How many objects of each kind, by {@link ObjectKind#plural()}, every kind present (0 when none). */
    public Map<String, Object> counts() {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (ObjectKind kind : ObjectKind.values()) {
            counts.put(kind.plural(), 0L);
        }
        for (SchemaObject o : objects.values()) {
            counts.merge(o.kind().plural(), 1L, (a, b) -> (Long) a + (Long) b);
        }
        return counts;
    }

    /** The stored form. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", (long) FORMAT);
        m.put("engine", engine);
        m.put("home_schema", homeSchema);
        List<Object> list = new ArrayList<>();
        objects.values().forEach(o -> list.add(o.toJson()));
        m.put("objects", list);
        return CanonicalJson.write(m);
    }

    /**
     * Reads {@link #toJson()}.
     *
     * @throws IllegalArgumentException when the text is not a snapshot of this {@link #FORMAT}
     */
    @SuppressWarnings("unchecked")
    public static Snapshot fromJson(String json) {
        Object parsed = CanonicalJson.parse(json);
        if (!(parsed instanceof Map<?, ?> m) || !Long.valueOf(FORMAT).equals(m.get("format"))) {
            throw new IllegalArgumentException("not a schema snapshot of format " + FORMAT);
        }
        List<SchemaObject> objects = new ArrayList<>();
        for (Object o : (List<Object>) m.get("objects")) {
            objects.add(SchemaObject.fromJson((Map<String, Object>) o));
        }
        return new Snapshot((String) m.get("engine"), (String) m.get("home_schema"), new TreeMap<>(byKey(objects)));
    }

    private static Map<String, SchemaObject> byKey(List<SchemaObject> objects) {
        Map<String, SchemaObject> m = new LinkedHashMap<>();
        objects.forEach(o -> m.put(o.key(), o));
        return m;
    }
}
