package io.vigil.hyperliquid;

import java.util.List;

/**
 * How a vault relates to others: {@code normal}, {@code child}, or {@code parent} with the child
 * vaults that actually hold its positions (HLP's Strategy A, Strategy B and Liquidator).
 *
 * @param type           {@code normal}, {@code parent} or {@code child}
 * @param childAddresses the children of a parent vault; empty otherwise
 */
public record VaultRelationship(String type, List<String> childAddresses) {

    /** A vault with no parent or children. */
    public static final VaultRelationship NORMAL = new VaultRelationship("normal", List.of());
}
