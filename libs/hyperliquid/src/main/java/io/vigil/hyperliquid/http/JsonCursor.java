package io.vigil.hyperliquid.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A position in a parsed JSON answer that remembers how it got there, so every read that finds
 * something other than the documented format fails with a {@link MalformedResponseException}
 * naming the response and the JSON path ({@code hyperliquid metaAndAssetCtxs: $[1][0].oraclePx is
 * null, expected a decimal string}) instead of a {@code NullPointerException} further on.
 *
 * <p>Navigating never fails: {@link #field} and {@link #index} on something absent give a cursor
 * at a missing value, and the read that follows reports the full path. Immutable.
 */
public final class JsonCursor {

    private final JsonNode node;
    private final String source;
    private final String path;

    private JsonCursor(JsonNode node, String source, String path) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.source = source;
        this.path = path;
    }

    /**
     * The root of a response.
     *
     * @param source names the response in error messages ({@code "hyperliquid metaAndAssetCtxs"})
     */
    public static JsonCursor root(JsonNode node, String source) {
        return new JsonCursor(node, source, "$");
    }

    /** The member {@code name} of this object (a missing value when absent or not an object). */
    public JsonCursor field(String name) {
        return new JsonCursor(node.isObject() ? node.get(name) : null, source, path + "." + name);
    }

    /** The element {@code i} of this array (a missing value when absent or not an array). */
    public JsonCursor index(int i) {
        return new JsonCursor(node.isArray() ? node.get(i) : null, source, path + "[" + i + "]");
    }

    /** The JSON path of this position, {@code $[1][0].oraclePx}. */
    public String path() {
        return path;
    }

    /** The underlying Jackson node (a {@code MissingNode} when absent), for reads this class lacks. */
    public JsonNode node() {
        return node;
    }

    /** Whether there is a value here other than JSON {@code null}. */
    public boolean present() {
        return !node.isMissingNode() && !node.isNull();
    }

    /** Whether this is JSON {@code null} (present but null). */
    public boolean isNull() {
        return node.isNull();
    }

    /** Whether this is an array. */
    public boolean isArray() {
        return node.isArray();
    }

    /** Whether this is an object. */
    public boolean isObject() {
        return node.isObject();
    }

    /** A required string. */
    public String text() throws MalformedResponseException {
        if (!node.isTextual()) {
            throw wrong("a string");
        }
        return node.textValue();
    }

    /** An optional string: empty when absent or null. */
    public Optional<String> optionalText() throws MalformedResponseException {
        return present() ? Optional.of(text()) : Optional.empty();
    }

    /**
     * A required decimal: a decimal string as the Hyperliquid and exchange APIs send prices and
     * sizes ({@code "97480.0"}, {@code "-0.0075"}, {@code "1.9e9"}), parsed exactly; a JSON number
     * is accepted too.
     */
    public BigDecimal decimal() throws MalformedResponseException {
        if (node.isTextual()) {
            String text = node.textValue().trim();
            try {
                if (!text.isEmpty() && Character.isLetter(text.charAt(text.length() - 1))) {
                    throw new NumberFormatException(text); // "NaN", "Infinity", "12abc"
                }
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw problem("is \"" + shorten(node.textValue()) + "\", expected a decimal string");
            }
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        throw wrong("a decimal string");
    }

    /** An optional decimal: empty when absent or null (as {@code midPx} is when the book is empty). */
    public Optional<BigDecimal> optionalDecimal() throws MalformedResponseException {
        return present() ? Optional.of(decimal()) : Optional.empty();
    }

    /** A required whole number (a JSON integer). */
    public long integer() throws MalformedResponseException {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrong("an integer");
        }
        return node.longValue();
    }

    /** A required time in epoch milliseconds. */
    public Instant epochMillis() throws MalformedResponseException {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrong("a time in epoch milliseconds");
        }
        return Instant.ofEpochMilli(node.longValue());
    }

    /** A required boolean. */
    public boolean bool() throws MalformedResponseException {
        if (!node.isBoolean()) {
            throw wrong("true or false");
        }
        return node.booleanValue();
    }

    /** A boolean, or {@code otherwise} when absent or null. */
    public boolean bool(boolean otherwise) throws MalformedResponseException {
        return present() ? bool() : otherwise;
    }

    /** The elements of a required array. */
    public List<JsonCursor> elements() throws MalformedResponseException {
        if (!node.isArray()) {
            throw wrong("an array");
        }
        List<JsonCursor> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(index(i));
        }
        return out;
    }

    /** The members of a required object, in document order. */
    public Map<String, JsonCursor> members() throws MalformedResponseException {
        if (!node.isObject()) {
            throw wrong("an object");
        }
        Map<String, JsonCursor> out = new LinkedHashMap<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            out.put(name, field(name));
        }
        return out;
    }

    /** A {@link MalformedResponseException} about this position: "{source}: {path} {what}". */
    public MalformedResponseException problem(String what) {
        return new MalformedResponseException(source + ": " + path + " " + what);
    }

    private MalformedResponseException wrong(String expected) {
        String found;
        if (node.isMissingNode()) {
            found = "is missing";
        } else if (node.isNull()) {
            found = "is null";
        } else if (node.isTextual()) {
            found = "is the string \"" + shorten(node.textValue()) + "\"";
        } else if (node.isArray()) {
            found = "is an array";
        } else if (node.isObject()) {
            found = "is an object";
        } else {
            found = "is " + shorten(node.toString());
        }
        return problem(found + ", expected " + expected);
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    @Override
    public String toString() {
        return source + " " + path;
    }
}
