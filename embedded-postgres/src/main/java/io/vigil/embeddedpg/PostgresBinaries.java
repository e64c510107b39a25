package io.vigil.embeddedpg;

import java.nio.file.Path;

/** An extracted PostgreSQL installation: {@code home} holds bin/, lib/ and share/. */
record PostgresBinaries(Path home, String version) {

    Path initdb() {
        return home.resolve("bin/initdb");
    }

    Path postgres() {
        return home.resolve("bin/postgres");
    }

    Path pgCtl() {
        return home.resolve("bin/pg_ctl");
    }

    /** The major version, as PostgreSQL writes it to PG_VERSION ("17" for 17.6.0). */
    String majorVersion() {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }
}
