package io.vigil.server.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The body of every error the Vigil API answers: a problem details object in the style of
 * RFC 9457 ({@code type}, {@code title}, {@code status}, {@code detail}), plus {@code error} (the same
 * text as {@code detail}, kept for clients of the first API version), {@code items} when a batch was
 * refused for problems in individual items, and {@code line}/{@code column} for malformed JSON.
 *
 * <p>Code creates one with {@link #of(String)} and returns it as the body of an error response;
 * {@link ProblemDetailsFilter} fills in {@code status} and {@code title} from the response.
 *
 * @param type   a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title  short summary of the kind: the HTTP reason phrase for {@code about:blank}
 * @param status the HTTP status code
 * @param detail what went wrong and, where there is one, what to do next
 * @param error  the same text as {@code detail}
 * @param items  one entry per problem, each naming the JSON path of the offending value
 * @param line   for malformed JSON: the line of the (decompressed) body where parsing failed, from 1
 * @param column for malformed JSON: the column on that line, from 1
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String type, @Nullable String title, @Nullable Integer status, String detail, String error,
                       @Nullable List<Item> items, @Nullable Integer line, @Nullable Integer column) {

    /** The {@code type} of problems whose status and title say it all. */
    public static final String ABOUT_BLANK = "about:blank";

    /** A problem described by {@code detail}; status and title come from the response it is sent with. */
    public static ApiError of(String detail) {
        return new ApiError(ABOUT_BLANK, null, null, detail, detail, null, null, null);
    }

    /** A problem with one entry per offending item. */
    public static ApiError of(String detail, List<Item> items) {
        return new ApiError(ABOUT_BLANK, null, null, detail, detail, items, null, null);
    }

    /** A malformed body, with the position of the first syntax error when known. */
    public static ApiError at(String detail, @Nullable Integer line, @Nullable Integer column) {
        return new ApiError(ABOUT_BLANK, null, null, detail, detail, null, line, column);
    }

    /** This problem with the status and title of the response carrying it. */
    public ApiError withStatus(int status, String title) {
        return new ApiError(type, this.title == null ? title : this.title, status, detail, error, items, line, column);
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
