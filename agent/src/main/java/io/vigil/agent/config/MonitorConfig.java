package io.vigil.agent.config;

import java.time.Duration;
import java.util.Map;

/**
 * One entry of {@code monitors:} as written; its options are checked against the plugin's
 * declarations only once plugins are loaded, so the entry keeps the lines needed to report
 * option problems.
 *
 * @param name        unique name of this instance; keys its state
 * @param plugin      PF4J plugin id
 * @param kind        monitor kind within the plugin, or {@code null} when the plugin has one
 * @param interval    poll interval, or {@code null} for the factory's default
 * @param timeout     longest a poll may run, or {@code null} for the interval
 * @param enabled     whether to run it
 * @param options     raw option values
 * @param path        key path of the entry ({@code monitors[2]})
 * @param optionLines line of each option key, and of the entry under the empty key
 */
public record MonitorConfig(String name, String plugin, String kind, Duration interval, Duration timeout,
                            boolean enabled, Map<String, Object> options, String path,
                            Map<String, Integer> optionLines) {

    /** The line of an option key, or of the entry when the option was not written. */
    public int lineOf(String option) {
        return optionLines.getOrDefault(option, optionLines.getOrDefault("", 0));
    }
}
