package io.vigil.agent.spool;

/** The spool's storage failed (disk full, file removed); the agent cannot keep its promise. */
public final class SpoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
