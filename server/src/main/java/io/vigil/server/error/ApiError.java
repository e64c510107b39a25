package io.vigil.server.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The body of every error the Vigil API answers itself: {@code {"error": "..."}}, plus
 * {@code items} when a batch was refused for problems in individual items.
 *
 * @param error  what went wrong and, where there is one, what to do next
 * @param items  one entry per problem, each naming the JSON path of the offending value
 * @param line   for malformed JSON: the line of the (decompressed) body where parsing failed, from 1
 * @param column for malformed JSON: the column on that line, from 1
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, @Nullable List<Item> items, @Nullable Integer line, @Nullable Integer column) {

    public static ApiError of(String error) {
        return new ApiError(error, null, null, null);
    }

    public static ApiError of(String error, List<Item> items) {
        return new ApiError(error, items, null, null);
    }

    /**
     * One problem in a request body.
     *
     * @param path    where, e.g. {@code events[3].severity}
     * @param message what is wrong with it
     */
    @Serdeable
    public record Item(String path, String message) {
    }
}
