package io.vigil.plugin.schema.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTextTest {

    @Test
    void checksAreFoundAtColumnAndTableLevelIgnoringQuotedText() {
        String sql = "CREATE TABLE t (a int CHECK (a > 0), b text DEFAULT 'CHECK (no)', \"check\" int,\n"
                + "  CONSTRAINT c CHECK (a < (b_len(b) + 1)), note text check(length(note)   <  10))";
        assertEquals(List.of("a > 0", "a < (b_len(b) + 1)", "length(note) < 10"), SqlText.checks(sql));
    }

    @Test
    void whiteSpaceIsCollapsedOutsideQuotesOnly() {
        assertEquals("select 'a  b' from t where x = 1", SqlText.collapse("select   'a  b'\n  from t\twhere x = 1 "));
    }
}
