package io.vigil.api;

/**
 * The version of this SPI.
 *
 * <p>Plugins declare the range of SPI versions they work with in their PF4J descriptor
 * ({@code Plugin-Requires: >=1.0.0 & <2.0.0}); the agent compares that range with
 * {@link #VERSION} before it loads a plugin and refuses an incompatible one with a message
 * naming both versions.
 *
 * <p>Versioning follows semantic versioning: a minor release only adds (new types, new
 * {@code default} methods); a major release may remove or change. A plugin built against 1.x
 * therefore runs on any 1.y agent with y &ge; x.
 */
public final class VigilApi {

    /** The SPI version this artifact implements. */
    public static final String VERSION = "1.0.0";

    private VigilApi() {
    }
}
