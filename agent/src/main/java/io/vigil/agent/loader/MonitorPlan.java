package io.vigil.agent.loader;

import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.config.ConfigException;
import io.vigil.agent.config.ConfigProblem;
import io.vigil.agent.config.MonitorConfig;
import io.vigil.api.InvalidOptionsException;
import io.vigil.api.MonitorFactory;
import io.vigil.api.Secrets;
import io.vigil.api.ValidatedOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitors the agent will run: each enabled entry of the configuration matched to a loaded
 * factory, its options validated, interval and timeout settled. Both {@code run} and
 * {@code check} build this, so what {@code check} accepts is what {@code run} runs.
 */
public final class MonitorPlan {

    /**
     * One monitor ready to create.
     *
     * @param config   its configuration entry
     * @param factory  the factory that creates it
     * @param options  validated options
     * @param interval poll interval (unused by streaming monitors)
     * @param timeout  longest a poll may run
     */
    public record Planned(MonitorConfig config, MonitorFactory factory, ValidatedOptions options,
                          Duration interval, Duration timeout) {

        public String pluginId() {
            return config.plugin();
        }
    }

    private MonitorPlan() {
    }

    /**
     * Resolves every enabled monitor.
     *
     * @throws ConfigException listing every unknown plugin or kind and every option problem,
     *                         each at the line of the entry or option
     */
    public static List<Planned> resolve(AgentConfig config, PluginCatalog catalog, Secrets secrets)
            throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<Planned> planned = new ArrayList<>();
        String file = config.file().toString();
        for (MonitorConfig m : config.monitors()) {
            if (!m.enabled()) {
                continue;
            }
            MonitorFactory factory;
            try {
                factory = catalog.factory(m.plugin(), m.kind());
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(file, m.lineOf(""), m.path() + (m.kind() == null ? ".plugin" : ".kind"),
                        e.getMessage()));
                continue;
            }
            try {
                ValidatedOptions options = ValidatedOptions.of(factory.options(), m.options(), secrets);
                Duration interval = m.interval() != null ? m.interval() : factory.defaultInterval();
                Duration timeout = m.timeout() != null ? m.timeout() : interval;
                planned.add(new Planned(m, factory, options, interval, timeout));
            } catch (InvalidOptionsException e) {
                for (InvalidOptionsException.Problem p : e.problems()) {
                    problems.add(new ConfigProblem(file, m.lineOf(p.option()), m.path() + ".options." + p.option(),
                            p.message()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return planned;
    }
}
