package io.vigil.agent.schedule;

import io.vigil.api.Emitter;
import io.vigil.api.MonitorContext;
import io.vigil.api.Options;
import io.vigil.api.Secrets;
import io.vigil.api.StateStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link MonitorContext} of one configured monitor; a plain holder. */
record AgentMonitorContext(String monitorName, String pluginId, String host, Options options,
                           SpoolingEmitter spoolingEmitter, StateStore state, Clock clock, Secrets secrets)
        implements MonitorContext {

    @Override
    public Emitter emitter() {
        return spoolingEmitter;
    }

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger("vigil.plugin." + pluginId + "." + monitorName);
    }
}
