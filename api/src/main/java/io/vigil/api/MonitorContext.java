package io.vigil.api;

import java.time.Clock;
import org.slf4j.Logger;

/**
 * Everything a monitor instance gets from the agent. One context per configured monitor, handed
 * to {@link MonitorFactory#create(MonitorContext)} and valid until the monitor is closed.
 * All methods are cheap and thread-safe.
 */
public interface MonitorContext {

    /** The monitor's name in the agent configuration, unique within the agent. */
    String monitorName();

    /** The id of the plugin the monitor comes from. */
    String pluginId();

    /** The name of the host the agent runs on, as events and metrics will carry it. */
    String host();

    /** The validated options, defaults applied, secrets resolved. */
    Options options();

    /** Where to put events and metric samples. */
    Emitter emitter();

    /** Persistent state private to this monitor. */
    StateStore state();

    /** The clock to use for every timestamp and timeout, so tests can control time. */
    Clock clock();

    /** A logger named after the plugin and monitor; secrets must never be passed to it. */
    Logger logger();

    /** Resolves secret references for monitors that must look one up at run time. */
    Secrets secrets();
}
