package io.vigil.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A monitor's validated options: every value has the type its {@link OptionSpec} declares, and
 * defaults are already applied. Secret options arrive resolved.
 *
 * <p>Each getter throws {@link IllegalArgumentException} for a name the plugin did not declare
 * or a type other than the declared one (a plugin bug), and {@link IllegalStateException} for an
 * optional option without default that the configuration left out: check {@link #isSet} first.
 * Immutable and thread-safe.
 */
public interface Options {

    /** Whether the option has a value (configured or defaulted). */
    boolean isSet(String name);

    /** A {@link OptionType#STRING} option. */
    String string(String name);

    /** An {@link OptionType#INTEGER} option. */
    long integer(String name);

    /** A {@link OptionType#DECIMAL} option. */
    double decimal(String name);

    /** A {@link OptionType#BOOLEAN} option. */
    boolean bool(String name);

    /** A {@link OptionType#DURATION} option. */
    Duration duration(String name);

    /** A {@link OptionType#STRING_LIST} option. */
    List<String> list(String name);

    /** A {@link OptionType#STRING_MAP} option. */
    Map<String, String> map(String name);
}
