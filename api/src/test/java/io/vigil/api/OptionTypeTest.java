package io.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionTypeTest {

    @Test
    void durationsReadAsOperatorsWriteThem() {
        assertEquals(Duration.ofMillis(250), OptionType.DURATION.parse("250ms"));
        assertEquals(Duration.ofSeconds(30), OptionType.DURATION.parse("30s"));
        assertEquals(Duration.ofMinutes(90), OptionType.DURATION.parse("1h30m"));
        assertEquals(Duration.ofDays(7), OptionType.DURATION.parse("7d"));
        assertEquals(Duration.ofSeconds(45), OptionType.DURATION.parse("PT45S"));
    }

    @Test
    void aWordIsNotADurationAndTheMessageSaysWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptionType.DURATION.parse("fast"));
        assertEquals("expected a duration like 30s, got \"fast\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptionType.DURATION.parse("30"));
        assertThrows(IllegalArgumentException.class, () -> OptionType.DURATION.parse("30s junk"));
    }

    @Test
    void numbersAndBooleansAreStrict() {
        assertEquals(42L, OptionType.INTEGER.parse(42));
        assertEquals(42L, OptionType.INTEGER.parse("42"));
        assertEquals(1.5, OptionType.DECIMAL.parse("1.5"));
        assertEquals(1.0, OptionType.DECIMAL.parse(1));
        assertEquals(true, OptionType.BOOLEAN.parse(true));
        assertEquals("expected an integer, got 1.5",
                assertThrows(IllegalArgumentException.class, () -> OptionType.INTEGER.parse(1.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptionType.BOOLEAN.parse("yes"));
        assertThrows(IllegalArgumentException.class, () -> OptionType.DECIMAL.parse("NaN"));
    }

    @Test
    void listsAndMapsHoldStrings() {
        assertEquals(List.of("a", "5432"), OptionType.STRING_LIST.parse(List.of("a", 5432)));
        assertEquals(Map.of("env", "prod"), OptionType.STRING_MAP.parse(Map.of("env", "prod")));
        assertEquals("expected a list of strings, got \"a\"",
                assertThrows(IllegalArgumentException.class, () -> OptionType.STRING_LIST.parse("a")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptionType.STRING.parse(List.of()));
    }

    @Test
    void specParsesItsDefaultByType() {
        OptionSpec spec = OptionSpec.of("interval", OptionType.DURATION, "how often").withDefault("30s");
        assertEquals(Duration.ofSeconds(30), spec.defaultValue());
    }

    @Test
    void specRefusesADefaultOfTheWrongTypeAndBadNames() {
        assertThrows(IllegalArgumentException.class,
                () -> OptionSpec.of("interval", OptionType.DURATION, "d").withDefault("soon"));
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.of("Interval", OptionType.DURATION, "d"));
    }

    @Test
    void severityParsesAnyCaseAndOrders() {
        assertEquals(Severity.HIGH, Severity.parse("High"));
        assertEquals("high", Severity.HIGH.wireName());
        assertEquals(true, Severity.CRITICAL.atLeast(Severity.HIGH));
        assertEquals(false, Severity.LOW.atLeast(Severity.MEDIUM));
        assertEquals("unknown severity \"urgent\": expected one of info, low, medium, high, critical",
                assertThrows(IllegalArgumentException.class, () -> Severity.parse("urgent")).getMessage());
    }

    @Test
    void metricSamplesSortLabelsAndRefuseNonFiniteValues() {
        MetricSample s = new MetricSample("oracle.deviation_pct", 1.3, "percent",
                Map.of("source", "binance", "asset", "BTC"), java.time.Instant.EPOCH);
        assertEquals(List.of("asset", "source"), List.copyOf(s.labels().keySet()));
        assertThrows(IllegalArgumentException.class, () -> MetricSample.of("x.y", Double.POSITIVE_INFINITY, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new MetricSample("x.y", 1, "", Map.of("Bad-Label", "v"), java.time.Instant.EPOCH));
    }
}
