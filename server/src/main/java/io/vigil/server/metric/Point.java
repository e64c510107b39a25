package io.vigil.server.metric;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One step of a range query.
 *
 * @param time  the step's start
 * @param value the aggregate of the step's samples
 */
@Serdeable
public record Point(Instant time, double value) {
}
