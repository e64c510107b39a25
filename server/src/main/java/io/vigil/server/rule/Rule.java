package io.vigil.server.rule;

import io.vigil.server.event.Severity;

import java.util.Map;

/**
 * An alert rule: an event rule, a metric rule or an absence rule. Rules come from the shipped
 * defaults, the rules file, or the API ({@link RuleSource}).
 */
public sealed interface Rule permits EventRule, MetricRule, AbsenceRule {

    /** Unique among all rules: {@code [a-z0-9][a-z0-9_.-]*}. */
    String id();

    /** {@code event}, {@code metric} or {@code absence}. */
    String kind();

    String description();

    /** Labels every alert of the rule carries (for routing and silences). */
    Map<String, String> labels();

    /** The alert severity; {@code null} for an event rule that takes the event's. */
    Severity severity();

    Template title();

    Template message();

    RuleSource source();
}
