package io.vigil.errorgroup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stable identity of an error, so that a million repeats of one error are one group with a
 * count. The agent (which aggregates its own errors before shipping) and the server (which groups
 * what agents ship and what it logs itself) compute it with this one class, so both agree.
 *
 * <p>The fingerprint is the first {@value #HEX_LENGTH} hex digits of SHA-256 over, one per line:
 * <ol>
 *   <li>the component (e.g. {@code monitor:disk}, {@code ship}, {@code io.vigil.server.notify.Dispatcher});</li>
 *   <li>the exception type (empty when there is none);</li>
 *   <li>when the stack text has frames: the top {@value #FRAMES} frames of the outermost exception as
 *       {@code class.method}, without file names and line numbers (they change between builds), with
 *       the JDK module prefix ({@code java.base/}) and the numbers of lambdas and generated classes
 *       removed ({@code lambda$run$3} becomes {@code lambda$run}); otherwise</li>
 *   <li>the {@linkplain #normaliseMessage normalised} message, in which ids, numbers, quoted values
 *       and addresses are placeholders, so "user 42 not found" and "user 43 not found" group.</li>
 * </ol>
 * Two errors of the same type thrown from the same place are thus one group even when their
 * messages differ; a different top frame is a different group.
 */
public final class ErrorFingerprint {

    /** Stack frames that identify an error. */
    public static final int FRAMES = 5;
    /** Hex digits kept of the SHA-256 (128 bits). */
    public static final int HEX_LENGTH = 32;

    // "at [module/]class.method(File.java:12)"; class loader prefixes like "app//" are modules too
    private static final Pattern FRAME = Pattern.compile(
            "^\\s*at\\s+(?:[^\\s/(]*/+)*([\\w$.<>]+)\\.([\\w$<>]+)\\(");
    private static final Pattern LAMBDA_METHOD = Pattern.compile("(lambda\\$[\\w<>]+?)\\$\\d+");
    private static final Pattern GENERATED_CLASS = Pattern.compile("\\$\\$Lambda.*|\\$Proxy\\d+|\\$\\d+$");

    private static final Pattern UUID = Pattern.compile(
            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'|`[^`]*`");
    private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?\\b");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]*:[0-9a-fA-F:.]*](?::\\d{1,5})?");
    private static final Pattern HOST_PORT = Pattern.compile("(?<=[\\w.-]):\\d{2,5}\\b");
    private static final Pattern HEX = Pattern.compile("\\b0x[0-9a-fA-F]+\\b|\\b(?=[0-9a-fA-F]*\\d)[0-9a-fA-F]{8,}\\b");
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(?:[.,]\\d+)*");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private ErrorFingerprint() {
    }

    /**
     * The fingerprint of an error.
     *
     * @param component     where it happened; required
     * @param exceptionType the exception's class name, or null
     * @param stack         the stack trace text as {@link Throwable#printStackTrace()} writes it, or null
     * @param message       the message, or null; only used when the stack has no frame
     */
    public static String of(String component, String exceptionType, String stack, String message) {
        StringBuilder in = new StringBuilder();
        in.append(component == null ? "" : component.strip()).append('\n');
        in.append(exceptionType == null ? "" : exceptionType.strip()).append('\n');
        List<String> frames = topFrames(stack, FRAMES);
        if (frames.isEmpty()) {
            in.append("message:").append(normaliseMessage(message));
        } else {
            in.append("frames:").append(String.join("\n", frames));
        }
        return sha256Hex(in.toString()).substring(0, HEX_LENGTH);
    }

    /**
     * The first {@code n} frames of the outermost exception in {@code stack}, as {@code class.method}
     * with lambda and generated-class numbers removed; empty when the text has none.
     */
    public static List<String> topFrames(String stack, int n) {
        List<String> frames = new ArrayList<>(n);
        if (stack == null) {
            return frames;
        }
        for (String line : stack.split("\\R")) {
            if (frames.size() == n) {
                break;
            }
            String trimmed = line.strip();
            if (trimmed.startsWith("Caused by:") || trimmed.startsWith("Suppressed:")) {
                break; // the outermost exception's frames end here
            }
            Matcher m = FRAME.matcher(line);
            if (m.find()) {
                String type = GENERATED_CLASS.matcher(m.group(1)).replaceAll("");
                String method = LAMBDA_METHOD.matcher(m.group(2)).replaceAll("$1");
                frames.add(type + "." + method);
            }
        }
        return frames;
    }

    /**
     * {@code message} with the parts that vary between occurrences of one error replaced by
     * placeholders: UUIDs {@code <uuid>}, quoted values {@code <str>}, IP addresses with their port
     * {@code <ip>}, other ports {@code :<port>}, hex ids {@code <hex>}, numbers {@code <n>};
     * whitespace collapsed. Null is the empty string.
     */
    public static String normaliseMessage(String message) {
        if (message == null) {
            return "";
        }
        String s = UUID.matcher(message).replaceAll("<uuid>");
        s = QUOTED.matcher(s).replaceAll("<str>");
        s = IPV6.matcher(s).replaceAll("<ip>");
        s = IPV4.matcher(s).replaceAll("<ip>");
        s = HOST_PORT.matcher(s).replaceAll(":<port>");
        s = HEX.matcher(s).replaceAll("<hex>");
        s = NUMBER.matcher(s).replaceAll("<n>");
        return SPACE.matcher(s).replaceAll(" ").strip();
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
