package io.vigil.plugin.dbperf.state;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plugin's values in the agent's {@link io.vigil.api.StateStore}: a flat map written as a
 * form-encoded line ({@code marker=2026-01-01&time=1767225600.5&commits=42}). Small, readable in
 * {@code vigil-agent status}, and with no JSON library to shade for what is never nested.
 */
public final class StateRecord {

    private StateRecord() {
    }

    /** The map as one line; keys keep their order. */
    public static String encode(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v == null ? "" : v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    /** The map a line of {@link #encode} holds; an unreadable pair is left out. */
    public static Map<String, String> decode(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        if (line == null || line.isEmpty()) {
            return out;
        }
        for (String pair : line.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException ignored) {
                // a damaged pair: forget it rather than fail every poll
            }
        }
        return out;
    }
}
