package io.vigil.plugin.endpoint.probe;

/**
 * One kind of check against one endpoint. Called from the monitor's poll, never concurrently;
 * it never throws for what the endpoint does (refused, timed out, wrong answer): that is a
 * failed {@link ProbeResult}.
 */
public interface Probe {

    /** Checks once, within {@code deadline}. */
    ProbeResult run(Deadline deadline);

    /** The endpoint as labels and event subjects name it ({@code tcp://db1:5432}, {@code https://shop.example/health}). */
    String endpoint();
}
