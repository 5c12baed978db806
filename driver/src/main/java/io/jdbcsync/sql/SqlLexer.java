package io.jdbcsync.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into tokens with their positions and parenthesis depth, skipping comments.
 * The parser tells us what a statement means; the tokens tell us where its parts are, so that
 * rewrites splice into the app's own text instead of re-printing it.
 */
final class SqlLexer {

    private SqlLexer() {
    }

    static List<Token> tokens(String sql, boolean backslashEscapes) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        int depth = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int afterComment = skipComment(sql, i);
            if (afterComment > i) {
                i = afterComment;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                int end = skipQuoted(sql, i, '\'', backslashEscapes);
                out.add(new Token(Token.Kind.STRING, i, end, depth));
                i = end;
            } else if (c == '"' || c == '`') {
                int end = skipQuoted(sql, i, c, false);
                out.add(new Token(Token.Kind.QUOTED_NAME, i, end, depth));
                i = end;
            } else if (c == '[') {
                int close = sql.indexOf(']', i + 1);
                int end = close < 0 ? n : close + 1;
                out.add(new Token(Token.Kind.QUOTED_NAME, i, end, depth));
                i = end;
            } else if (c == '(') {
                out.add(new Token(Token.Kind.OPEN, i, i + 1, depth));
                depth++;
                i++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                out.add(new Token(Token.Kind.CLOSE, i, i + 1, depth));
                i++;
            } else if (c == ',') {
                out.add(new Token(Token.Kind.COMMA, i, i + 1, depth));
                i++;
            } else if (c == ';') {
                out.add(new Token(Token.Kind.SEMICOLON, i, i + 1, depth));
                i++;
            } else if (c == '?') {
                out.add(new Token(Token.Kind.PARAMETER, i, i + 1, depth));
                i++;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.'
                        || (sql.charAt(end) == '+' || sql.charAt(end) == '-')
                        && (sql.charAt(end - 1) == 'e' || sql.charAt(end - 1) == 'E'))) {
                    end++;
                }
                out.add(new Token(Token.Kind.NUMBER, i, end, depth));
                i = end;
            } else if (Character.isLetter(c) || c == '_' || c == '$' || c == '@') {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_' || sql.charAt(end) == '$')) {
                    end++;
                }
                out.add(new Token(Token.Kind.WORD, i, end, depth));
                i = end;
            } else {
                out.add(new Token(Token.Kind.OPERATOR, i, i + 1, depth));
                i++;
            }
        }
        return out;
    }

    /** End (exclusive) of a quoted run starting at {@code start}; doubled quotes and backslash escapes stay inside. */
    private static int skipQuoted(String sql, int start, char quote, boolean backslashEscapes) {
        int n = sql.length();
        int i = start + 1;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\\' && backslashEscapes) {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** The offset after a comment starting at {@code i}, or {@code i} when none starts there. */
    private static int skipComment(String sql, int i) {
        int n = sql.length();
        char c = sql.charAt(i);
        if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#') {
            int nl = sql.indexOf('\n', i);
            return nl < 0 ? n : nl;
        }
        if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
            int close = sql.indexOf("*/", i + 2);
            return close < 0 ? n : close + 2;
        }
        return i;
    }

    /** The first keyword of a statement, upper case, or "" when it starts with something else. */
    static String firstKeyword(String sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int afterComment = skipComment(sql, i);
            if (afterComment > i) {
                i = afterComment;
            } else if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(java.util.Locale.ROOT);
    }
}
