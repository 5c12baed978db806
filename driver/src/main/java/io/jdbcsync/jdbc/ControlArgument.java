package io.jdbcsync.jdbc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The string literal argument of a {@code CALL sync_...('...')} text, unescaped. */
final class ControlArgument {
    private static final Pattern LITERAL = Pattern.compile("'((?:[^']|'')*)'");

    private ControlArgument() {
    }

    /** The first string literal in the text, with {@code ''} read as one quote; null when there is none. */
    static String literal(String sql) {
        Matcher m = LITERAL.matcher(sql);
        return m.find() ? m.group(1).replace("''", "'") : null;
    }
}
