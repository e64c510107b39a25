package io.vigil.agent.errorlog;

/**
 * Where the agent's components report their own errors (a plugin that throws, a failed shipment)
 * for the server's error log. Implementations must not block for long and must not throw: the
 * caller is in the middle of handling a failure already.
 */
public interface ErrorSink {

    /** How bad an error is; the wire names are the lower-case constant names. */
    enum Level {
        WARN, ERROR, CRITICAL
    }

    /**
     * Records one occurrence.
     *
     * @param component where it happened: {@code monitor:<name>}, {@code ship}
     * @param message   what the log line says (the exception's own message is in its stack)
     * @param error     the exception, or null when there is none (its type and stack identify the error)
     */
    void record(String component, Level level, String message, Throwable error);

    /** Records nothing: for a dry run, whose failures are printed and never shipped. */
    ErrorSink IGNORE = (component, level, message, error) -> {
    };
}
