package io.vigil.plugin.endpoint.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP statuses that count as healthy, written as codes and ranges: {@code 200-399},
 * {@code 200,204}, {@code 200-299,301}. Immutable.
 */
public final class StatusSet {

    private final List<int[]> ranges;
    private final String text;

    private StatusSet(List<int[]> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /**
     * Parses the written form.
     *
     * @throws IllegalArgumentException naming the part that is not a code or range of 100 to 599
     */
    public static StatusSet parse(String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                if (from < 100 || to > 599 || from > to) {
                    throw new NumberFormatException();
                }
                ranges.add(new int[] {from, to});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + p + "\" is not a status code or range between 100 and 599 "
                        + "(write e.g. 200-399 or 200,204)");
            }
        }
        return new StatusSet(List.copyOf(ranges), text.replace(" ", ""));
    }

    /** Whether {@code status} is healthy. */
    public boolean contains(int status) {
        return ranges.stream().anyMatch(r -> status >= r[0] && status <= r[1]);
    }

    @Override
    public String toString() {
        return text;
    }
}
