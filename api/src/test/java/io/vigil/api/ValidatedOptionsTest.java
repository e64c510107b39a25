package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidatedOptionsTest {

    private static final List<OptionSpec> SPECS = List.of(
            OptionSpec.of("url", OptionType.STRING, "where to connect").asRequired(),
            OptionSpec.of("interval", OptionType.DURATION, "how often").withDefault("30s"),
            OptionSpec.of("password", OptionType.STRING, "login password").asSecret(),
            OptionSpec.of("limit", OptionType.INTEGER, "how many"));

    private static final Secrets ENV = ref -> {
        if (ref.equals("env:DB_PASSWORD")) {
            return "s3cret";
        }
        throw new IllegalArgumentException("secret " + ref + " is not set");
    };

    @Test
    void appliesDefaultsAndConvertsTypes() {
        Options o = ValidatedOptions.of(SPECS, Map.of("url", "jdbc:x"), ENV);
        assertEquals("jdbc:x", o.string("url"));
        assertEquals(Duration.ofSeconds(30), o.duration("interval"));
        assertFalse(o.isSet("limit"));
        assertThrows(IllegalStateException.class, () -> o.integer("limit"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        InvalidOptionsException e = assertThrows(InvalidOptionsException.class,
                () -> ValidatedOptions.of(SPECS, Map.of("interval", "fast", "limt", 3), ENV));
        assertEquals(List.of(
                new InvalidOptionsException.Problem("url", "is required: where to connect"),
                new InvalidOptionsException.Problem("interval", "expected a duration like 30s, got \"fast\""),
                new InvalidOptionsException.Problem("limt", "is not an option of this monitor (it has: url, interval, password, limit)")),
                e.problems());
    }

    @Test
    void resolvesSecretReferencesAndNeverShowsTheValue() {
        ValidatedOptions o = ValidatedOptions.of(SPECS, Map.of("url", "x", "password", "${env:DB_PASSWORD}"), ENV);
        assertEquals("s3cret", o.string("password"));
        assertTrue(o.toString().contains("password=****"), o.toString());
        assertFalse(o.toString().contains("s3cret"));
    }

    @Test
    void anUnresolvableSecretIsAProblemNamingTheReferenceOnly() {
        InvalidOptionsException e = assertThrows(InvalidOptionsException.class,
                () -> ValidatedOptions.of(SPECS, Map.of("url", "x", "password", "${env:NOPE}"), ENV));
        assertEquals("password: secret env:NOPE is not set", e.getMessage());
    }

    @Test
    void readingAnOptionAsTheWrongTypeIsAPluginBug() {
        Options o = ValidatedOptions.of(SPECS, Map.of("url", "x"), ENV);
        assertThrows(IllegalArgumentException.class, () -> o.integer("url"));
        assertThrows(IllegalArgumentException.class, () -> o.string("nope"));
    }
}
