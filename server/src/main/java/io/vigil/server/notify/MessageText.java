package io.vigil.server.notify;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The human-readable body of a notification in the formats channels need: plain text (email,
 * webhook-less receivers), Slack mrkdwn, HTML (email, Telegram's HTML mode). One place, so every
 * channel says the same thing.
 */
public final class MessageText {

    private MessageText() {
    }

    public static String plain(NotificationMessage m) {
        StringBuilder b = new StringBuilder(m.title()).append("\n");
        for (NotificationMessage.Item a : m.alerts()) {
            b.append("\n- ").append(line(a));
            if (!a.message().isBlank()) {
                b.append("\n  ").append(a.message().strip().replace("\n", "\n  "));
            }
            b.append("\n  ").append(labels(a.labels()));
        }
        return b.toString();
    }

    public static String slack(NotificationMessage m) {
        StringBuilder b = new StringBuilder("*").append(slackEscape(m.title())).append("*");
        for (NotificationMessage.Item a : m.alerts()) {
            b.append("\n• ").append(slackEscape(line(a)));
            if (!a.message().isBlank()) {
                b.append("\n    ").append(slackEscape(a.message().strip()));
            }
            b.append("\n    _").append(slackEscape(labels(a.labels()))).append("_");
        }
        return b.toString();
    }

    public static String html(NotificationMessage m) {
        StringBuilder b = new StringBuilder("<p><b>").append(escape(m.title())).append("</b></p><ul>");
        for (NotificationMessage.Item a : m.alerts()) {
            b.append("<li>").append(escape(line(a)));
            if (!a.message().isBlank()) {
                b.append("<br>").append(escape(a.message().strip()).replace("\n", "<br>"));
            }
            b.append("<br><small>").append(escape(labels(a.labels()))).append("</small></li>");
        }
        return b.append("</ul>").toString();
    }

    /** Telegram's HTML subset: b, i, code, pre; no lists or paragraphs. */
    public static String telegramHtml(NotificationMessage m) {
        StringBuilder b = new StringBuilder("<b>").append(escape(m.title())).append("</b>");
        for (NotificationMessage.Item a : m.alerts()) {
            b.append("\n\n• ").append(escape(line(a)));
            if (!a.message().isBlank()) {
                b.append("\n").append(escape(a.message().strip()));
            }
            b.append("\n<i>").append(escape(labels(a.labels()))).append("</i>");
        }
        return b.toString();
    }

    static String line(NotificationMessage.Item a) {
        String state = a.status().equals("resolved") ? "RESOLVED" : a.severity().toUpperCase(java.util.Locale.ROOT);
        String when = a.status().equals("resolved") && a.resolvedAt() != null
                ? "resolved " + a.resolvedAt() : "since " + a.firstSeenAt();
        return "[" + state + "] " + a.title() + " (alert " + a.id() + ", " + a.count()
                + (a.count() == 1 ? " occurrence, " : " occurrences, ") + when + ")";
    }

    static String labels(Map<String, String> labels) {
        return labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
