package io.vigil.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.vigil.server.error.ApiError;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Reads a batch body into plain values: objects become {@link LinkedHashMap}s, arrays
 * {@link List}s, integers {@link Integer}/{@link Long}/{@link java.math.BigInteger}, decimals
 * {@link java.math.BigDecimal} (exactly as written, so attributes keep their precision), and
 * strings and booleans themselves, JSON {@code null} Java {@code null}.
 *
 * <p>Jackson's streaming parser rather than a data binder: it reports the line and column of a
 * syntax error, and it lets the item limits stop reading at the first item over the limit.
 * Duplicate keys are syntax errors, because which of the two values a reader keeps is arbitrary.
 */
final class BatchParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final IngestLimits limits;

    BatchParser(IngestLimits limits) {
        this.limits = limits;
    }

    /**
     * The events and metrics arrays as plain values, plus problems with the batch's shape (for
     * example {@code "events"} not being an array).
     *
     * @throws BatchRejectedException.Malformed for a syntax error, naming line and column
     * @throws BatchRejectedException.TooLarge  past a byte or item limit
     */
    RawBatch parse(InputStream body) {
        try (JsonParser p = JSON.createParser(body)) {
            List<Object> events = List.of();
            List<Object> metrics = List.of();
            List<ApiError.Item> problems = new ArrayList<>();
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new BatchRejectedException.Malformed("the body is empty: send a JSON object "
                        + "{\"events\": [...], \"metrics\": [...]}", null, null);
            }
            if (first != JsonToken.START_OBJECT) {
                throw malformed(p, "the body must be a JSON object {\"events\": [...], \"metrics\": [...]}, got "
                        + describe(first));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "events" -> events = readItems(p, value, "events", limits.getMaxEvents(),
                            "vigil.ingest.max-events", problems);
                    case "metrics" -> metrics = readItems(p, value, "metrics", limits.getMaxMetrics(),
                            "vigil.ingest.max-metrics", problems);
                    default -> p.skipChildren(); // unknown keys are ignored, for newer agents
                }
            }
            if (p.nextToken() != null) {
                throw malformed(p, "unexpected content after the end of the batch object");
            }
            return new RawBatch(events, metrics, problems);
        } catch (BatchRejectedException e) {
            throw e;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new BatchRejectedException.Malformed("malformed JSON" + where + ": " + e.getOriginalMessage(),
                    at == null ? null : at.getLineNr(), at == null ? null : at.getColumnNr());
        } catch (ZipException e) {
            throw new BatchRejectedException.Malformed("the body is not valid gzip (Content-Encoding: gzip): "
                    + e.getMessage(), null, null);
        } catch (java.io.EOFException e) {
            throw new BatchRejectedException.Malformed("the body ended early (truncated gzip stream?)", null, null);
        } catch (IOException e) {
            if (e.getCause() instanceof ContentLengthExceededException tooLong) {
                // the raw body passed micronaut.server.max-request-size while streaming in
                throw new BatchRejectedException.TooLarge("the request body is larger than the server accepts ("
                        + tooLong.getMessage() + "): split the batch into smaller ones");
            }
            throw new java.io.UncheckedIOException("reading the batch body failed", e);
        }
    }

    private static List<Object> readItems(JsonParser p, JsonToken token, String name, int max, String key,
                                          List<ApiError.Item> problems) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (token != JsonToken.START_ARRAY) {
            problems.add(new ApiError.Item(name, name + " must be an array, got " + describe(token)));
            p.skipChildren();
            return List.of();
        }
        List<Object> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (items.size() == max) {
                throw new BatchRejectedException.TooLarge("the batch has more than " + max + " " + name + " ("
                        + key + "): split it into smaller batches");
            }
            items.add(readValue(p, t));
        }
        return items;
    }

    private static Object readValue(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    map.put(key, readValue(p, p.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken item;
                while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, item));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw malformed(p, "unexpected " + t);
        };
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static BatchRejectedException.Malformed malformed(JsonParser p, String message) {
        JsonLocation at = p.currentTokenLocation();
        return new BatchRejectedException.Malformed("malformed batch at line " + at.getLineNr() + ", column "
                + at.getColumnNr() + ": " + message, at.getLineNr(), at.getColumnNr());
    }

    /**
     * The batch as plain values, before validation.
     *
     * @param events   the items of {@code "events"}
     * @param metrics  the items of {@code "metrics"}
     * @param problems problems with the batch's shape, by path
     */
    record RawBatch(List<Object> events, List<Object> metrics, List<ApiError.Item> problems) {
    }
}
