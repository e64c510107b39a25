package io.vigil.server.configfile;

/**
 * One thing wrong in a configuration document, located for the person who has to fix it.
 *
 * @param source  the file name (or {@code request body} for the API)
 * @param line    1-based line, 0 when unknown
 * @param path    the key path, e.g. {@code rules[2].match.severity_min}; empty for the document
 * @param message what is wrong and what would be right
 */
public record Problem(String source, int line, String path, String message) {

    /** {@code rules.yml:14 rules[2].match.severity_min: unknown severity "urgent": ...}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(':').append(line);
        }
        if (!path.isEmpty()) {
            b.append(' ').append(path);
        }
        return b.append(": ").append(message).toString();
    }
}
