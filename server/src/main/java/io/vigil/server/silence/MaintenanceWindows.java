package io.vigil.server.silence;

import jakarta.inject.Singleton;

import java.util.List;

/** The maintenance windows of the routing file in force (replaced as a whole on reload). */
@Singleton
public class MaintenanceWindows {

    private volatile List<MaintenanceWindow> windows = List.of();

    public List<MaintenanceWindow> list() {
        return windows;
    }

    public void replace(List<MaintenanceWindow> windows) {
        this.windows = List.copyOf(windows);
    }
}
