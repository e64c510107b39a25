package io.vigil.hyperliquid;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to {@code vaultDetails} (its {@code followers} list is not read; ask {@link
 * HyperliquidClient#info} for it).
 *
 * @param name             the vault's display name
 * @param vaultAddress     its address
 * @param leader           the leader's address
 * @param description      the leader's description
 * @param portfolio        the portfolio histories by period name ({@code day}, {@code allTime}…)
 * @param apr              annual percentage rate as a fraction (a JSON number on the wire)
 * @param closed           {@code isClosed}
 * @param allowDeposits    {@code allowDeposits}
 * @param relationship     parent/child relationship
 * @param maxDistributable JSON number on the wire
 * @param maxWithdrawable  JSON number on the wire
 */
public record VaultDetails(String name, String vaultAddress, String leader, String description,
                           Map<String, PortfolioHistory> portfolio, Optional<BigDecimal> apr, boolean closed,
                           boolean allowDeposits, VaultRelationship relationship,
                           Optional<BigDecimal> maxDistributable, Optional<BigDecimal> maxWithdrawable) {

    /** One period of the portfolio ({@code "day"}, {@code "allTime"}…). */
    public Optional<PortfolioHistory> period(String name) {
        return Optional.ofNullable(portfolio.get(name));
    }
}
