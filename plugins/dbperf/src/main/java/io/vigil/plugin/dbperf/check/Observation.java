package io.vigil.plugin.dbperf.check;

import java.util.Map;

/**
 * One value a {@link Check} judges this poll.
 *
 * @param check    what is judged
 * @param database the database it is about, or {@code null} for the server
 * @param value    the value, in the check's unit
 * @param details  what else an event about it should carry ({@code connections}, {@code max}, ...)
 * @param eligible whether the value may count as exceeded at all (size growth smaller than
 *                 {@code size_growth_min_bytes} never does, whatever its percentage)
 */
public record Observation(Check check, String database, double value, Map<String, Object> details,
                          boolean eligible) {

    /** An observation judged on its value alone. */
    public Observation(Check check, String database, double value, Map<String, Object> details) {
        this(check, database, value, details, true);
    }
}
