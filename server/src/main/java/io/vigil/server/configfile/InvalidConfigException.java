package io.vigil.server.configfile;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration document that cannot be used, with every problem found in it. */
public class InvalidConfigException extends RuntimeException {

    private final transient List<Problem> problems;

    public InvalidConfigException(List<Problem> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n  "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
