package io.vigil.server.query;

import java.util.List;

/** Query parameters that cannot be used. Answered with 400 naming every problem. */
public final class InvalidQueryException extends RuntimeException {

    public InvalidQueryException(List<String> problems) {
        super("invalid query: " + String.join("; ", problems));
    }
}
