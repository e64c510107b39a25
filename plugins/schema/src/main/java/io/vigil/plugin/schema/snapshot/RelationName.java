package io.vigil.plugin.schema.snapshot;

import java.util.Objects;

/**
 * A table or view by schema and name; printed {@code schema.name}. For MariaDB the schema is the
 * database, for SQLite it is {@code main}.
 */
public record RelationName(String schema, String name) implements Comparable<RelationName> {

    /** Both parts are required. */
    public RelationName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(RelationName o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
