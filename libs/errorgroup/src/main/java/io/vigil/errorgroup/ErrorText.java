package io.vigil.errorgroup;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The bounded texts an error is recorded with, the same on the agent and the server: a message of
 * at most {@value #MAX_MESSAGE} characters and a stack trace of at most {@value #MAX_STACK}, each
 * cut with a visible marker saying how much was left out, so a runaway message cannot fill the
 * spool or the database.
 */
public final class ErrorText {

    /** Longest message kept, in characters. */
    public static final int MAX_MESSAGE = 2_000;
    /** Longest stack trace kept, in characters (16 KiB). */
    public static final int MAX_STACK = 16 * 1024;

    private ErrorText() {
    }

    /** {@code message} cut to {@link #MAX_MESSAGE}; null stays null. */
    public static String message(String message) {
        return bound(message, MAX_MESSAGE);
    }

    /** {@code stack} cut to {@link #MAX_STACK}; null stays null. */
    public static String stack(String stack) {
        return bound(stack, MAX_STACK);
    }

    /** The stack trace of {@code error} as {@link Throwable#printStackTrace()} writes it, cut to {@link #MAX_STACK}. */
    public static String stackOf(Throwable error) {
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            error.printStackTrace(w);
        }
        return stack(out.toString());
    }

    /**
     * {@code text} when it has at most {@code max} characters, otherwise its beginning followed by
     * {@code … [truncated N chars]}, the whole at most {@code max} characters.
     */
    public static String bound(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String marker = "… [truncated " + text.length() + " chars]";
        return text.substring(0, Math.max(0, max - marker.length())) + marker;
    }
}
