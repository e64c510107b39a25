package io.vigil.agent.cli;

import io.vigil.agent.config.AgentConfig;
import io.vigil.agent.config.ConfigException;
import io.vigil.agent.config.MonitorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil-agent plugin install|list|remove}: manage the plugins directory
 * ({@code paths.plugins} of the configuration, or {@code --dir}). A running agent loads plugins
 * when it starts, so it is restarted afterwards.
 */
@Command(name = "plugin", description = "Install, list or remove plugins (then restart the agent).",
        subcommands = {PluginCommand.Install.class, PluginCommand.ListPlugins.class, PluginCommand.Remove.class})
final class PluginCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return VigilAgentCli.CONFIG_ERROR;
    }

    /** The plugins directory: {@code --dir}, else the configuration's {@code paths.plugins}. */
    static class Target {
        @CommandLine.Mixin
        VigilAgentCli.ConfigOption options = new VigilAgentCli.ConfigOption();
        @Option(names = "--dir", description = "Plugins directory (default: paths.plugins of the configuration).")
        Path dir;

        /** The configuration, when the directory comes from it; null with --dir. */
        AgentConfig config(PrintWriter err) throws Exception {
            return dir != null ? null : options.load(err);
        }
    }

    @Command(name = "install", description = {
            "Install a plugin from a jar or zip file or an http(s) URL. It is checked first: a PF4J plugin",
            "(Plugin-Id, Plugin-Version) whose Plugin-Requires accepts this agent's vigil-api version; then",
            "it is put in the plugins directory as <id>-<version>.jar, replacing other versions of it."})
    static final class Install implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @Parameters(paramLabel = "FILE|URL", description = "A plugin jar or zip, or an http:// or https:// URL of one.")
        String source;
        @Option(names = "--sha256", paramLabel = "HEX", description = "Refuse the file unless its SHA-256 is this.")
        String sha256;
        @Option(names = "--timeout", defaultValue = "60s",
                description = "Connect and response timeout of a download (default: ${DEFAULT-VALUE}).")
        String timeout;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                AgentConfig config = target.config(err);
                Path dir = config == null ? target.dir : config.pluginsDir();
                Duration limit = (Duration) io.vigil.api.OptionType.DURATION.parse(timeout);
                return new PluginInstaller(dir, out, err, limit).install(source, sha256);
            } catch (ConfigException e) {
                return VigilAgentCli.reportConfig(e, err);
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    @Command(name = "list", description = "List the plugins and their monitors and options (same as 'plugins').")
    static final class ListPlugins implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            try {
                AgentConfig config = target.config(err);
                return VigilAgentCli.Plugins.list(config == null ? target.dir : config.pluginsDir(),
                        spec.commandLine().getOut(), err);
            } catch (ConfigException e) {
                return VigilAgentCli.reportConfig(e, err);
            }
        }
    }

    @Command(name = "remove", description = {
            "Remove every file of a plugin from the plugins directory. Refused while monitors of the",
            "configuration use it (the agent would not start), unless --force."})
    static final class Remove implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @Parameters(paramLabel = "ID", description = "The plugin id, as 'vigil-agent plugin list' shows it.")
        String id;
        @Option(names = "--force", description = "Remove it even though configured monitors use it.")
        boolean force;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                AgentConfig config = target.config(err);
                Path dir = config == null ? target.dir : config.pluginsDir();
                List<String> usedBy = config == null ? List.of() : config.monitors().stream()
                        .filter(m -> m.enabled() && id.equals(m.plugin())).map(MonitorConfig::name).toList();
                return new PluginInstaller(dir, out, err, Duration.ZERO)
                        .remove(id, usedBy, config == null ? null : config.file(), force);
            } catch (ConfigException e) {
                return VigilAgentCli.reportConfig(e, err);
            } finally {
                out.flush();
                err.flush();
            }
        }
    }
}
