package io.vigil.server.configfile;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a document, so that one reading reports them all. */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void add(Problem problem) {
        list.add(problem);
    }

    public void addAll(List<Problem> problems) {
        list.addAll(problems);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** @throws InvalidConfigException carrying every problem, if there is any */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new InvalidConfigException(list());
        }
    }
}
