package io.vigil.server.rule;

/** A rule change that cannot be made: a taken id, or a rule that is read-only through the API. */
public class RuleConflictException extends RuntimeException {
    public RuleConflictException(String message) {
        super(message);
    }
}
