package io.vigil.server.ingest;

import io.vigil.server.database.SqlArrays;
import io.vigil.server.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UtcTimesSpec {

    @Test
    void theFastReaderAgreesWithTheGeneralParserOnTheUtcFormAndDefersOnEveryOtherForm() {
        for (String s : List.of("2026-11-27T10:00:00Z", "2026-11-27T10:00:00.1Z", "2026-11-27T10:00:00.123456789Z",
                "2024-02-29T23:59:59.999+00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z")) {
            assertEquals(OffsetDateTime.parse(s).toInstant(), UtcTimes.parse(s), s);
        }
        for (String s : List.of("2026-11-27T10:00Z", "2026-11-27T12:00:00+02:00", "2026-02-30T10:00:00Z",
                "2026-11-27T24:00:00Z", "2026-11-27T10:00:00.Z", "2026-11-27T10:00:00.1234567890Z", "2026-11-27 10:00:00Z",
                "yesterday")) {
            assertNull(UtcTimes.parse(s), s);
        }
    }

    @Test
    void timesSentAsEpochMicrosAreStoredAsPostgreSQLWouldStoreTheText() throws Exception {
        try (TestPostgres pg = TestPostgres.create(); Connection c = pg.connect();
             PreparedStatement st = c.prepareStatement(
                     "SELECT ?::timestamptz = TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 microsecond'")) {
            for (String s : List.of("2026-11-27T10:00:00.123456499Z", "2026-11-27T10:00:00.123456500Z",
                    "2026-11-27T10:00:00.123457500Z", "2026-11-27T10:00:00.123456501Z", "1969-12-31T23:59:59.999999500Z")) {
                st.setString(1, s);
                st.setLong(2, SqlArrays.epochMicros(Instant.parse(s)));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertEquals(true, rs.getBoolean(1), s);
                }
            }
        }
    }
}
