package io.vigil.server.rule;

/** No rule has the id asked for. */
public class RuleNotFoundException extends RuntimeException {
    public RuleNotFoundException(String id) {
        super("no rule with id \"" + id + "\"");
    }
}
