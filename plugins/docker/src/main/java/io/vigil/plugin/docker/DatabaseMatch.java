package io.vigil.plugin.docker;

import java.util.List;

/**
 * Whether a container runs a database, which kind, and why the monitor thinks so.
 *
 * @param database whether it is a database container
 * @param kind     {@code postgres}, {@code mysql}, {@code redis}… or {@code unknown}; empty when not a database
 * @param reasons  the rules that matched, e.g. {@code image:postgres}, {@code port:5432/tcp},
 *                 {@code env:POSTGRES_}, {@code label:vigil.role=database}
 */
record DatabaseMatch(boolean database, String kind, List<String> reasons) {

    static final DatabaseMatch NONE = new DatabaseMatch(false, "", List.of());

    DatabaseMatch {
        reasons = List.copyOf(reasons);
    }
}
