package io.vigil.server.escalation;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The escalation policies of the routing file in force, by name (replaced as a whole on reload). */
@Singleton
public class EscalationPolicies {

    private volatile Map<String, EscalationPolicy> byName = Map.of();

    public void replace(List<EscalationPolicy> policies) {
        byName = Map.copyOf(policies.stream().collect(Collectors.toMap(EscalationPolicy::name, Function.identity())));
    }

    public @Nullable EscalationPolicy find(String name) {
        return byName.get(name);
    }
}
