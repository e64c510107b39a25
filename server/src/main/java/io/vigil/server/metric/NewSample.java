package io.vigil.server.metric;

import java.time.Instant;

/**
 * A validated metric sample about to be stored.
 *
 * @param labelsJson the labels object serialised as JSON text (a flat object of strings)
 */
public record NewSample(String name, String unit, String labelsJson, Instant time, double value) {
}
