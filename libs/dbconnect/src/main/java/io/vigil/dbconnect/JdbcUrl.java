package io.vigil.dbconnect;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC URL understood well enough to pick its driver, to say where it points without its
 * credentials, and to tell whether it sets a driver parameter itself.
 *
 * <p>{@link #toString()} is the {@linkplain #redacted() redacted} form, so a {@code JdbcUrl} can
 * be logged or put in a message as it is. The raw URL is only handed to the driver.
 */
public final class JdbcUrl {

    // user:password@ in //authority (MariaDB accepts it; so do copy-pasted URLs)
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@?#]*?):([^/@?#]*)@");
    // ?password=..., &sslpassword=..., ;pwd=... and any key that names a secret
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "([?&;])([^=&;?]*(?:password|passwd|pwd|secret|passphrase|token)[^=&;?]*)=([^&;#]*)",
            Pattern.CASE_INSENSITIVE);
    // MariaDB's address=(host=..)(password=..) form
    private static final Pattern SECRET_PAREN = Pattern.compile("\\(((?:password|pwd)\\s*)=[^)]*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final String MASK = "****";

    private final String raw;
    private final Engine engine;
    private final String driverUrl;
    private final String redacted;

    private JdbcUrl(String raw) {
        this.raw = raw;
        this.engine = Engine.of(raw);
        String prefix = engine.prefixOf(raw);
        this.driverUrl = engine.driverPrefix() + raw.substring(prefix.length());
        this.redacted = redact(raw);
    }

    /**
     * Parses a JDBC URL.
     *
     * @throws IllegalArgumentException when no supported engine serves it
     */
    public static JdbcUrl parse(String url) {
        return new JdbcUrl(Objects.requireNonNull(url, "url").trim());
    }

    /** The engine the URL is for. */
    public Engine engine() {
        return engine;
    }

    /** The URL as the driver is given it: the original, with {@code jdbc:mysql:} turned into {@code jdbc:mariadb:}. */
    String driverUrl() {
        return driverUrl;
    }

    /** The URL with every password-like parameter and {@code user:password@} replaced by {@code ****}. */
    public String redacted() {
        return redacted;
    }

    /**
     * A short name for the database, fit for an event subject: scheme, hosts and database, no
     * user, no password, no parameters ({@code postgresql://db1:5432/shop},
     * {@code sqlite:/var/lib/app.db}).
     */
    public String display() {
        String rest = redacted.substring(engine.prefixOf(redacted).length());
        int query = indexOfAny(rest, '?', ';');
        if (engine == Engine.SQLITE) {
            // jdbc:sqlite:file:/x.db?mode=ro keeps its path; parameters go
            return engine.scheme() + ":" + (query >= 0 ? rest.substring(0, query) : rest);
        }
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        rest = rest.replaceFirst("^//[^/@]*@", "//");
        return engine.scheme() + ":" + rest;
    }

    /** The first host named in a network URL, if there is one (for "connection refused by HOST:PORT"). */
    public Optional<String> hostAndPort() {
        if (engine == Engine.SQLITE) {
            return Optional.empty();
        }
        String rest = redacted.substring(engine.prefixOf(redacted).length());
        if (!rest.startsWith("//")) {
            return Optional.empty();
        }
        rest = rest.substring(2).replaceFirst("^[^/@]*@", "");
        int end = indexOfAny(rest, '/', '?', ',', ';');
        String host = end >= 0 ? rest.substring(0, end) : rest;
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (!host.contains(":") || host.startsWith("[") && !host.contains("]:")) {
            host = host + ":" + (engine == Engine.POSTGRESQL ? 5432 : 3306);
        }
        return Optional.of(host);
    }

    /** For SQLite, the database file the URL names ({@code :memory:} and empty names have none). */
    public Optional<String> sqliteFile() {
        if (engine != Engine.SQLITE) {
            return Optional.empty();
        }
        String rest = raw.substring(engine.prefixOf(raw).length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.startsWith(":memory:") || rest.startsWith(":resource:")) {
            return Optional.empty();
        }
        return Optional.of(rest);
    }

    /** Whether the URL sets the driver parameter {@code name} itself (case-insensitive). */
    public boolean hasParameter(String name) {
        Pattern p = Pattern.compile("[?&;(]" + Pattern.quote(name) + "\\s*=", Pattern.CASE_INSENSITIVE);
        return p.matcher(raw).find();
    }

    /** The value of the driver parameter {@code name} in the URL, if it sets one. */
    public Optional<String> parameter(String name) {
        Matcher m = Pattern.compile("[?&;]" + Pattern.quote(name) + "=([^&;#]*)", Pattern.CASE_INSENSITIVE)
                .matcher(raw);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Redacts any text that may be a JDBC URL; see {@link #redacted()}. */
    public static String redact(String url) {
        String out = USER_INFO.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        out = SECRET_PARAM.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + "=" + MASK));
        return SECRET_PAREN.matcher(out).replaceAll(m -> Matcher.quoteReplacement("(" + m.group(1) + "=" + MASK + ")"));
    }

    private static int indexOfAny(String text, char... chars) {
        int best = -1;
        for (char c : chars) {
            int i = text.indexOf(c);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** The redacted URL. */
    @Override
    public String toString() {
        return redacted;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JdbcUrl other && raw.equals(other.raw);
    }

    @Override
    public int hashCode() {
        return raw.hashCode();
    }
}
