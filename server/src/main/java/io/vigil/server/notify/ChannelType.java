package io.vigil.server.notify;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.SecretValues;

import java.util.List;

/**
 * A kind of channel: reads its configuration from the routing file and makes {@link Channel}s.
 * One bean per channel package; the {@link ChannelCatalog} finds them by {@link #type()}.
 */
public interface ChannelType {

    /** The value of {@code type:} in the routing file. */
    String type();

    /** The keys this type accepts besides {@code name} and {@code type}. */
    List<String> keys();

    /**
     * Reads one channel entry. Problems go on the nodes (with their lines); secrets are read with
     * {@code secrets} and never quoted in a problem.
     *
     * @return the channel, or {@code null} when the entry has problems
     */
    @Nullable Channel parse(String name, ConfigNode node, SecretValues secrets);
}
