package io.vigil.agent.cli;

import io.vigil.agent.Agent;
import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.config.ConfigException;
import io.vigil.agent.config.ConfigLoader;
import io.vigil.agent.config.EnvironmentSecrets;
import io.vigil.agent.loader.MonitorPlan;
import io.vigil.agent.loader.PluginCatalog;
import io.vigil.api.OptionSpec;
import io.vigil.api.VigilApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil-agent}: run the agent, check a configuration, list, install or remove plugins.
 * Exit codes: 0 success, 1 runtime failure or a refused plugin, 2 invalid configuration or usage.
 */
@Command(name = "vigil-agent", mixinStandardHelpOptions = true, versionProvider = VigilAgentCli.Version.class,
        description = "Vigil host agent: runs monitor plugins and ships what they find to a Vigil server.",
        subcommands = {VigilAgentCli.Run.class, VigilAgentCli.Check.class, VigilAgentCli.Plugins.class,
                PluginCommand.class, VigilAgentCli.Status.class, VigilAgentCli.ConfigCommand.class})
public final class VigilAgentCli implements Callable<Integer> {

    static final int CONFIG_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        return new CommandLine(new VigilAgentCli()).execute(args);
    }

    /** Runs the command line writing to the given streams (for tests). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new VigilAgentCli()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CONFIG_ERROR;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vigil-agent " + Agent.VERSION + " (plugin SPI " + VigilApi.VERSION + ")"};
        }
    }

    /** Options shared by the subcommands. */
    static class ConfigOption {
        @Option(names = {"-c", "--config"}, defaultValue = "${env:VIGIL_AGENT_CONFIG:-/etc/vigil/agent.yml}",
                description = "Agent configuration file (default: ${DEFAULT-VALUE}).")
        Path config;

        AgentConfig load(PrintWriter err) throws IOException, ConfigException {
            return ConfigLoader.load(config);
        }
    }

    static int reportConfig(ConfigException e, PrintWriter err) {
        e.problems().forEach(p -> err.println("error: " + p));
        err.println(e.problems().size() == 1 ? "1 configuration problem; nothing started."
                : e.problems().size() + " configuration problems; nothing started.");
        err.flush();
        return CONFIG_ERROR;
    }

    /** Resolves server.token as the agent does at start, as a configuration problem when it cannot. */
    static void serverToken(AgentConfig config) throws ConfigException {
        try {
            EnvironmentSecrets.ofProcess().resolveValue(config.tokenRef());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new io.vigil.agent.config.ConfigProblem(config.file().toString(), 0,
                    "server.token", e.getMessage())));
        }
    }

    @Command(name = "run", description = "Run the agent until stopped (SIGTERM or Ctrl-C).")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption options = new ConfigOption();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            Agent agent;
            try {
                agent = Agent.start(options.load(err), EnvironmentSecrets.ofProcess(), Clock.systemUTC());
            } catch (ConfigException e) {
                return reportConfig(e, err);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close();
                stopped.countDown();
            }, "vigil-shutdown"));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "check", description = {
            "Without MONITOR: validate the configuration and plugins, run nothing.",
            "With MONITOR: run that monitor once and print what it emits as JSON lines, without shipping",
            "and without changing the agent's state (it works on a copy)."})
    static final class Check implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption options = new ConfigOption();
        @CommandLine.Parameters(arity = "0..1", paramLabel = "MONITOR", description = "Name of a monitor in the configuration.")
        String monitor;
        @Option(names = "--stream-for", defaultValue = "10s",
                description = "How long to follow a streaming monitor (default: ${DEFAULT-VALUE}).")
        String streamFor;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AgentConfig config;
            try {
                config = options.load(err);
                if (monitor == null) {
                    // as `run` does first: a token that cannot be read stops the agent at start (a dry
                    // run of one monitor ships nothing, so it does without)
                    serverToken(config);
                }
            } catch (ConfigException e) {
                return reportConfig(e, err);
            }
            try (PluginCatalog catalog = PluginCatalog.load(config.pluginsDir())) {
                catalog.problems().forEach(p -> err.println("error: " + p));
                List<MonitorPlan.Planned> plan;
                try {
                    plan = MonitorPlan.resolve(config, catalog, EnvironmentSecrets.ofProcess());
                } catch (ConfigException e) {
                    return reportConfig(e, err);
                }
                if (monitor != null) {
                    MonitorPlan.Planned chosen = plan.stream().filter(p -> p.config().name().equals(monitor)).findFirst()
                            .orElse(null);
                    if (chosen == null) {
                        err.println("error: no enabled monitor named '" + monitor + "' in " + config.file() + "; monitors: "
                                + String.join(", ", plan.stream().map(p -> p.config().name()).toList()));
                        err.flush();
                        return CONFIG_ERROR;
                    }
                    java.time.Duration duration = (java.time.Duration) io.vigil.api.OptionType.DURATION.parse(streamFor);
                    int failures = DryRun.run(config, chosen, duration, out, err);
                    out.flush();
                    err.flush();
                    return failures == 0 ? 0 : 1;
                }
                out.printf("%s: OK, server %s, %d plugins, %d monitors%n", config.file(), config.serverUrl(),
                        catalog.plugins().size(), plan.size());
                for (MonitorPlan.Planned p : plan) {
                    out.printf("  %-20s %s/%s every %s %s%n", p.config().name(), p.pluginId(), p.factory().kind(),
                            p.interval(), p.options());
                }
                out.flush();
                err.flush();
                return catalog.problems().isEmpty() ? 0 : CONFIG_ERROR;
            }
        }
    }

    @Command(name = "plugins", description = "List the plugins in the plugins directory and their monitors and options.")
    static final class Plugins implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption options = new ConfigOption();
        @Option(names = "--dir", description = "Plugins directory (default: paths.plugins of the configuration).")
        Path dir;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path pluginsDir = dir;
            if (pluginsDir == null) {
                try {
                    pluginsDir = options.load(err).pluginsDir();
                } catch (ConfigException e) {
                    return reportConfig(e, err);
                }
            }
            return list(pluginsDir, out, err);
        }

        /** Prints each plugin of {@code pluginsDir} with its monitor kinds and options. */
        static int list(Path pluginsDir, PrintWriter out, PrintWriter err) {
            try (PluginCatalog catalog = PluginCatalog.load(pluginsDir)) {
                catalog.problems().forEach(p -> err.println("error: " + p));
                catalog.plugins().values().forEach(p -> {
                    out.printf("%s %s (requires vigil-api %s) from %s%n", p.id(), p.version(), p.requires(),
                            p.file().getFileName());
                    p.factories().forEach((kind, f) -> {
                        out.printf("  kind %s: %s%n", kind, f.description());
                        for (OptionSpec o : f.options()) {
                            out.printf("    %-22s %-12s %s%s%s%n", o.name(), o.type().name().toLowerCase(),
                                    o.required() ? "required. " : o.defaultValue() != null ? "default " + o.defaultValue() + ". " : "",
                                    o.secret() ? "secret. " : "", o.description());
                        }
                    });
                });
                out.flush();
                err.flush();
                return catalog.problems().isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "config", description = "Configuration commands.", subcommands = ConfigCommand.Validate.class)
    static final class ConfigCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return CONFIG_ERROR;
        }

        @Command(name = "validate", description = "Validate the configuration and plugins (same as check without MONITOR).")
        static final class Validate implements Callable<Integer> {
            @CommandLine.Mixin
            ConfigOption options = new ConfigOption();
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                Check check = new Check();
                check.options = options;
                check.spec = spec;
                return check.call();
            }
        }
    }

    @Command(name = "status", description = "Show a running agent's spool, shipping and monitor counters.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption options = new ConfigOption();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AgentConfig config;
            try {
                config = options.load(err);
            } catch (ConfigException e) {
                return reportConfig(e, err);
            }
            int code = StatusReport.print(config, out, err);
            out.flush();
            err.flush();
            return code;
        }
    }
}
