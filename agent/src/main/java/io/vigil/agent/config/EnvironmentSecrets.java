package io.vigil.agent.config;

import io.vigil.api.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves {@code env:NAME} from the agent's environment and {@code file:/path} from a file
 * (trailing newline removed). Messages name the reference, never a value.
 */
public final class EnvironmentSecrets implements Secrets {

    private final Map<String, String> environment;

    public EnvironmentSecrets(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Secrets from this process's environment. */
    public static EnvironmentSecrets ofProcess() {
        return new EnvironmentSecrets(System.getenv());
    }

    @Override
    public String resolve(String reference) {
        if (reference.startsWith("env:")) {
            String value = environment.get(reference.substring(4));
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("secret " + reference + " is not set in the agent's environment");
            }
            return value;
        }
        if (reference.startsWith("file:")) {
            Path file = Path.of(reference.substring(5));
            try {
                String value = Files.readString(file, StandardCharsets.UTF_8);
                return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
            } catch (IOException e) {
                throw new IllegalArgumentException("secret " + reference + " cannot be read: "
                        + e.getClass().getSimpleName());
            }
        }
        throw new IllegalArgumentException("secret reference \"" + reference + "\" must start with env: or file:");
    }

    /**
     * A configuration value that is either a literal or a whole {@code ${env:..}}/{@code ${file:..}}
     * reference.
     */
    public String resolveValue(String value) {
        String v = value.trim();
        if (v.startsWith("${") && v.endsWith("}")) {
            return resolve(v.substring(2, v.length() - 1));
        }
        return value;
    }
}
