package io.vigil.agent.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as operators write them: {@code 256MiB}, {@code 64MB}, {@code 512KiB}, {@code 1048576}. */
final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?");

    private ByteSize() {
    }

    static long parse(Object raw) {
        if (raw instanceof Long n && n >= 0) {
            return n;
        }
        if (raw instanceof String s) {
            Matcher m = SIZE.matcher(s.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "b" : m.group(2);
                long factor = switch (unit) {
                    case "kb" -> 1_000L;
                    case "kib" -> 1L << 10;
                    case "mb" -> 1_000_000L;
                    case "mib" -> 1L << 20;
                    case "gb" -> 1_000_000_000L;
                    case "gib" -> 1L << 30;
                    default -> 1L;
                };
                return Math.multiplyExact(n, factor);
            }
        }
        throw new IllegalArgumentException("expected a size like 256MiB, got "
                + (raw instanceof String ? "\"" + raw + "\"" : String.valueOf(raw)));
    }
}
