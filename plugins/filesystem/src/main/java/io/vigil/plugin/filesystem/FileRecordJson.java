package io.vigil.plugin.filesystem;

import java.util.HashMap;
import java.util.Map;

/**
 * The stored form of a {@link FileRecord}: one compact JSON object per path with one-letter keys,
 * because a baseline holds one value per file and 100,000 files are common. Absent fields are
 * left out. Unknown keys are ignored when reading, so a later version can add fields.
 *
 * <pre>{"k":"f","s":12,"m":1767225600000000000,"c":1767225600000000000,"p":420,"u":"root","g":"root","h":"5891b5…","i":131,"d":2049}</pre>
 */
final class FileRecordJson {

    private FileRecordJson() {
    }

    static String encode(FileRecord r) {
        StringBuilder out = new StringBuilder(160).append("{\"k\":\"").append(r.kind().code()).append('"');
        number(out, "s", r.size());
        number(out, "m", r.mtimeNanos());
        number(out, "c", r.ctimeNanos());
        number(out, "p", r.mode());
        text(out, "u", r.owner());
        text(out, "g", r.group());
        text(out, "h", r.sha256());
        number(out, "i", r.inode());
        number(out, "d", r.device());
        text(out, "l", r.linkTarget());
        text(out, "x", r.unreadable());
        return out.append('}').toString();
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws IllegalArgumentException when the text is not such an object
     */
    static FileRecord decode(String json) {
        Map<String, Object> fields = new Parser(json).object();
        Object kind = fields.get("k");
        if (!(kind instanceof String k) || k.length() != 1) {
            throw new IllegalArgumentException("baseline record without a kind: " + json);
        }
        return new FileRecord(FileKind.ofCode(k.charAt(0)), longOf(fields, "s", 0), longOf(fields, "m", 0),
                longOf(fields, "c", 0), (int) longOf(fields, "p", -1), textOf(fields, "u"), textOf(fields, "g"),
                textOf(fields, "h"), longOf(fields, "i", 0), longOf(fields, "d", 0), textOf(fields, "l"),
                textOf(fields, "x"));
    }

    private static void number(StringBuilder out, String key, long value) {
        out.append(",\"").append(key).append("\":").append(value);
    }

    private static void text(StringBuilder out, String key, String value) {
        if (value == null) {
            return;
        }
        out.append(",\"").append(key).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static long longOf(Map<String, Object> fields, String key, long absent) {
        Object v = fields.get(key);
        return v instanceof Long n ? n : absent;
    }

    private static String textOf(Map<String, Object> fields, String key) {
        Object v = fields.get(key);
        return v instanceof String s ? s : null;
    }

    /** Just enough JSON for a flat object of strings, integers and nulls. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Map<String, Object> object() {
            Map<String, Object> out = new HashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                pos++;
                return out;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                out.put(key, value());
                skipSpace();
                char c = next();
                if (c == '}') {
                    return out;
                }
                if (c != ',') {
                    throw error("expected , or }");
                }
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (text.startsWith("null", pos)) {
                pos += 4;
                return null;
            }
            int start = pos;
            if (c == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a string, an integer or null");
            }
            return Long.parseLong(text, start, pos, 10);
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        out.append((char) Integer.parseInt(text, pos, pos + 4, 16));
                        pos += 4;
                    }
                    default -> throw error("unknown escape \\" + e);
                }
            }
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected " + c);
            }
        }

        private char peek() {
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("baseline record is not valid JSON (" + what + " at " + pos + "): " + text);
        }
    }
}
