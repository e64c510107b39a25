package io.vigil.agent.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's validated configuration. Built only by {@link ConfigLoader}; every value is
 * already checked and defaulted.
 *
 * @param file        the configuration file, for messages
 * @param agentName   this agent's name as the server shows it
 * @param host        the host name events carry
 * @param serverUrl   base URL of the Vigil server
 * @param tokenRef    the bearer token, or a secret reference to it, resolved at start
 * @param httpTimeout timeout of one request to the server
 * @param pluginsDir  where plugin jars and zips are loaded from
 * @param stateDir    where the spool and monitor state databases live
 * @param spool       spool and batching settings
 * @param monitors    the monitors to run, in file order
 * @param listen      address of the agent's own /health, /metrics and /status, or null for none
 * @param heartbeatInterval how often the agent tells the server it is alive
 * @param drainTimeout how long a stopping agent keeps shipping what is spooled
 */
public record AgentConfig(Path file, String agentName, String host, URI serverUrl, String tokenRef,
                          Duration httpTimeout, Path pluginsDir, Path stateDir, SpoolSettings spool,
                          List<MonitorConfig> monitors, InetSocketAddress listen, Duration heartbeatInterval,
                          Duration drainTimeout) {

    /**
     * How items are buffered and batched.
     *
     * @param maxBytes       the spool's bound on disk; beyond it the overflow policy applies
     * @param batchMaxItems  most items per request
     * @param batchMaxBytes  most uncompressed bytes per request
     * @param linger         how long to wait for a batch to fill before sending a partial one
     * @param gzip           whether request bodies are gzip-compressed
     * @param initialBackoff first retry delay after a failure
     * @param maxBackoff     longest retry delay
     */
    public record SpoolSettings(long maxBytes, int batchMaxItems, long batchMaxBytes, Duration linger,
                                boolean gzip, Duration initialBackoff, Duration maxBackoff) {
    }
}
