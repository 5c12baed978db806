package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.ColumnDefinition;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Under multiplexing a session's statements run on whichever backend connection is free, so
 * {@code CONNECTION_ID()} and {@code LAST_INSERT_ID()} would answer for that connection. The
 * session's own values are written into the statement's text instead, as
 * {@code CAST(n AS UNSIGNED)} (both functions are BIGINT UNSIGNED), outside quotes and comments; a
 * result column named after such a call gets its name back ({@link #restoreNames}).
 */
final class SessionFunctions {
    private static final Pattern CALL = Pattern.compile("(?i)(CONNECTION_ID|LAST_INSERT_ID)\\s*\\(\\s*\\)");

    /** A statement's text with the calls replaced, and the original spelling of each replacement. */
    record Rewritten(String sql, Map<String, String> columnNames) {
    }

    private SessionFunctions() {
    }

    /**
     * @param lastInsertId the session's LAST_INSERT_ID(), or -1 to leave LAST_INSERT_ID() to the
     *                     backend connection
     */
    static Rewritten rewrite(String sql, long connectionId, long lastInsertId, boolean backslashEscapes) {
        if (sql.indexOf('_') < 0 || sql.indexOf('(') < 0) {
            return new Rewritten(sql, null);
        }
        Matcher m = CALL.matcher(sql);
        if (!m.find()) {
            return new Rewritten(sql, null);
        }
        StringBuilder out = null;
        Map<String, String> names = null;
        int copied = 0;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = afterQuoted(sql, i, c == '`' ? false : backslashEscapes);
            } else if (c == '#' || (c == '-' && sql.startsWith("--", i) && (i + 2 == n || sql.charAt(i + 2) <= ' '))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && sql.startsWith("/*", i) && !sql.startsWith("/*!", i) && !sql.startsWith("/*M!", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if ((c == 'C' || c == 'c' || c == 'L' || c == 'l') && (i == 0 || !identifierPart(sql.charAt(i - 1)))
                    && m.region(i, n).lookingAt()) {
                boolean connection = Character.toUpperCase(c) == 'C';
                if (connection || lastInsertId >= 0) {
                    String literal = connection ? "CAST(" + connectionId + " AS UNSIGNED)"
                            : "CAST(" + lastInsertId + " AS UNSIGNED INTEGER)";
                    if (out == null) {
                        out = new StringBuilder(n + 16);
                        names = new HashMap<>();
                    }
                    out.append(sql, copied, i).append(literal);
                    names.putIfAbsent(literal, m.group());
                    copied = m.end();
                }
                i = m.end();
            } else {
                i++;
            }
        }
        if (out == null) {
            return new Rewritten(sql, null);
        }
        out.append(sql, copied, n);
        return new Rewritten(out.toString(), names);
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.';
    }

    /** The index after the quoted string, name or literal starting at {@code start}. */
    private static int afterQuoted(String sql, int start, boolean backslashEscapes) {
        char quote = sql.charAt(start);
        for (int i = start + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\\' && backslashEscapes) {
                i++;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i++;
                } else {
                    return i + 1;
                }
            }
        }
        return sql.length();
    }

    /** Column definitions with the names MariaDB gave a replaced call set back to the call's text. */
    static ColumnDefinition[] restoreNames(ColumnDefinition[] defs, Map<String, String> names) {
        if (names == null) {
            return defs;
        }
        ColumnDefinition[] out = defs.clone();
        for (int i = 0; i < out.length; i++) {
            ColumnDefinition d = out[i];
            String name = d.name();
            String orgName = d.orgName();
            for (Map.Entry<String, String> e : names.entrySet()) {
                name = name.replace(e.getKey(), e.getValue());
                orgName = orgName.replace(e.getKey(), e.getValue());
            }
            out[i] = new ColumnDefinition(d.schema(), d.table(), d.orgTable(), name, orgName, d.charset(), d.length(),
                    d.type(), d.flags(), d.decimals());
        }
        return out;
    }
}
