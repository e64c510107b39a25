package io.vigil.server.rule;

import java.util.regex.Pattern;

/**
 * A shell-like pattern for event types, plugins, subjects and agent names: {@code *} is any run of
 * characters (dots included, so {@code file.*} matches {@code file.permissions_changed}), {@code ?}
 * one character, everything else itself.
 */
public final class Glob {

    private final String text;
    private final Pattern pattern;

    private Glob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    public static Glob of(String text) {
        StringBuilder re = new StringBuilder();
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return new Glob(text, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matches(String s) {
        return s != null && pattern.matcher(s).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
