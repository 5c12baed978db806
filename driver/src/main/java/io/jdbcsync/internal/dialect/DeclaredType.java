package io.jdbcsync.internal.dialect;

import java.util.Locale;

/**
 * A declared column type taken apart: {@code varchar(40)} is base {@code VARCHAR} with parameters
 * {@code (40)}; {@code int(10) unsigned} is {@code INT}, {@code (10)}.
 */
record DeclaredType(String base, String parameters) {

    static DeclaredType parse(String declared) {
        String s = declared == null ? "" : declared.trim().toUpperCase(Locale.ROOT);
        int open = s.indexOf('(');
        int close = s.indexOf(')', open + 1);
        if (open < 0 || close < 0) {
            int space = s.indexOf(' ');
            return new DeclaredType(space < 0 ? s : s.substring(0, space), "");
        }
        return new DeclaredType(s.substring(0, open).trim(), s.substring(open, close + 1).replace(" ", ""));
    }

    boolean hasLength() {
        return !parameters.isEmpty();
    }
}
