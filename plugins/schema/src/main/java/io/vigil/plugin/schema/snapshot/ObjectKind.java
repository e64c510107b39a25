package io.vigil.plugin.schema.snapshot;

import java.util.Locale;

/**
 * The kinds of schema object a snapshot holds. Objects that belong to a table (columns, keys,
 * checks, indexes, triggers) name it in {@link SchemaObject#table()}.
 */
public enum ObjectKind {
    SCHEMA,
    TABLE,
    VIEW,
    COLUMN,
    PRIMARY_KEY,
    UNIQUE,
    FOREIGN_KEY,
    CHECK,
    INDEX,
    TRIGGER,
    ROUTINE;

    /** The snake_case name used in JSON, events and the README ({@code "foreign_key"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The plural used for counts ({@code "indexes"}, {@code "foreign_keys"}). */
    public String plural() {
        return switch (this) {
            case INDEX -> "indexes";
            case UNIQUE -> "unique_constraints";
            default -> wireName() + "s";
        };
    }

    /** Parses {@link #wireName()}. */
    public static ObjectKind fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Whether objects of this kind belong to a table or view. */
    public boolean belongsToTable() {
        return switch (this) {
            case COLUMN, PRIMARY_KEY, UNIQUE, FOREIGN_KEY, CHECK, INDEX, TRIGGER -> true;
            default -> false;
        };
    }

    /** Whether objects of this kind are tables or views (things that own columns). */
    public boolean isRelation() {
        return this == TABLE || this == VIEW;
    }
}
