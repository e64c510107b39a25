package io.vigil.server.rule;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TemplateSpec {

    private static final List<String> NAMES = List.of("subject", "value");

    @Test
    void substitutesNamesAndPathsIntoAttributes() {
        Template t = Template.parse("{{subject}}: {{ attributes.engine.version }} at {{value}}%", NAMES, Set.of("attributes"));
        Map<String, Object> vars = Map.of("subject", "db-1", "value", 1.23456,
                "attributes", Map.of("engine", Map.of("version", "16.2")));
        assertEquals("db-1: 16.2 at 1.2346%", t.render(vars::get));
    }

    @Test
    void aMissingValueRendersAsNothing() {
        Template t = Template.parse("[{{attributes.nope}}]", NAMES, Set.of("attributes"));
        assertEquals("[]", t.render(name -> null));
    }

    @Test
    void anUnknownVariableOrAnExpressionIsRefusedWhenTheRuleIsRead() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Template.parse("{{host}}", NAMES, Set.of()));
        assertEquals("unknown template variable {{host}}; known: subject, value", unknown.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Template.parse("{{ T(java.lang.Runtime).getRuntime().exec('id') }}", NAMES, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> Template.parse("{{subject", NAMES, Set.of()));
    }

    @Test
    void numbersLoseNeedlessDecimals() {
        assertEquals("70", Template.format(70.0));
        assertEquals("0.5", Template.format(0.5));
        assertEquals("137", Template.format(137L));
    }
}
