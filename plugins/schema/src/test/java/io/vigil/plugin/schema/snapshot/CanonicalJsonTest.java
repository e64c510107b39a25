package io.vigil.plugin.schema.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void keysAreSortedWhateverTheMapOrder() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", 1L);
        a.put("a", Arrays.asList("x", null, true));
        assertEquals("{\"a\":[\"x\",null,true],\"b\":1}", CanonicalJson.write(a));
    }

    @Test
    void stringsRoundTripWithEscapes() {
        String text = "quote \" backslash \\ newline \n tab \t control \u0001 unicode é";
        assertEquals(List.of(text), CanonicalJson.parse(CanonicalJson.write(List.of(text))));
    }

    @Test
    void numbersAreLongsWhenWhole() {
        assertEquals(Map.of("n", 42L, "d", 1.5, "neg", -7L), CanonicalJson.parse("{\"n\": 42, \"d\": 1.5, \"neg\": -7}"));
    }
}
