package io.vigil.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link ValidatedOptions#of} with every problem found in one monitor's options, so an
 * operator fixes them all in one pass rather than one per restart.
 */
public final class InvalidOptionsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem with one option.
     *
     * @param option  the option name as written in the configuration
     * @param message what is wrong, without the option name ({@code expected a duration like 30s, got "fast"})
     */
    public record Problem(String option, String message) {
    }

    private final transient List<Problem> problems;

    /** Creates the exception; {@code problems} must not be empty. */
    public InvalidOptionsException(List<Problem> problems) {
        super(problems.stream().map(p -> p.option() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in declaration order, unknown options last. */
    public List<Problem> problems() {
        return problems;
    }
}
