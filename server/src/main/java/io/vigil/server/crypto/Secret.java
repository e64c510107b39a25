package io.vigil.server.crypto;

import io.micronaut.core.annotation.Nullable;

import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A decrypted secret (a webhook signing key, a bot token, an SMTP password) held in memory. It
 * prints as {@code ***}: a channel config logged or put into an exception message by mistake shows
 * no secret. {@link #reveal()} is the one way to the value, for the code that puts it on the wire.
 *
 * <p>A secret is either a fixed value or {@link #atUse read at each use} from a source (a vault
 * secret, so that a rotation takes effect at the next send).
 */
public final class Secret {

    /** What a secret is replaced with in text meant for people. */
    public static final String MASK = "***";

    private final @Nullable Supplier<String> source;
    /** The fixed value, or the one {@link #source} gave last (what {@link #redact} masks). */
    private volatile String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value);
        this.source = null;
    }

    private Secret(Supplier<String> source) {
        this.source = Objects.requireNonNull(source);
    }

    /**
     * A secret whose value {@code source} gives at each {@link #reveal()}; the source may throw (an
     * unreadable or deleted secret), with a message that does not contain the value.
     */
    public static Secret atUse(Supplier<String> source) {
        return new Secret(source);
    }

    /** The plain value; only for building the request that needs it. */
    public String reveal() {
        if (source == null) {
            return value;
        }
        String v = Objects.requireNonNull(source.get());
        value = v;
        return v;
    }

    @Override
    public String toString() {
        return MASK;
    }

    /**
     * {@code text} with every occurrence of each secret replaced by {@link #MASK}: for error
     * messages that may quote a URL or a response body containing a token.
     */
    public static String redact(String text, Collection<Secret> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Secret s : secrets) {
            String v = s == null ? null : s.value;
            if (v == null) {
                continue; // a secret read at use that was never used cannot be in the text
            }
            for (String part : parts(v)) {
                out = out.replace(part, MASK);
                String encoded = java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8);
                if (!encoded.equals(part)) {
                    out = out.replace(encoded, MASK);
                }
            }
        }
        return out;
    }

    /**
     * The texts to mask for one secret: the value, and for a URL (a Slack webhook, say) its path,
     * query and every long path segment, since a receiver may echo just those.
     */
    private static java.util.List<String> parts(String value) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (value.length() >= 4) {
            parts.add(value);
        }
        if (value.startsWith("http://") || value.startsWith("https://")) {
            try {
                java.net.URI uri = java.net.URI.create(value.strip());
                if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
                    parts.add(uri.getRawPath());
                    for (String segment : uri.getRawPath().split("/")) {
                        if (segment.length() >= 16) {
                            parts.add(segment);
                        }
                    }
                }
                if (uri.getRawQuery() != null && uri.getRawQuery().length() >= 4) {
                    parts.add(uri.getRawQuery());
                }
            } catch (IllegalArgumentException e) {
                // not a URL after all: the whole value is masked
            }
        }
        return parts;
    }
}
