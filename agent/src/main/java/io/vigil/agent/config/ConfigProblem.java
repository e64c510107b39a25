package io.vigil.agent.config;

/**
 * One thing wrong with a configuration file, located so the operator can go straight to it:
 * {@code agent.yml:14 monitors[2].options.interval: expected a duration like 30s, got "fast"}.
 *
 * @param file    the file as given on the command line
 * @param line    1-based line, or 0 when the problem is not tied to a line
 * @param path    key path such as {@code monitors[2].options.interval}, or empty for the whole file
 * @param message what is wrong and, where possible, what to do
 */
public record ConfigProblem(String file, int line, String path, String message) {

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
        }
        out.append(' ');
        if (!path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }
}
