package io.jdbcsync.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into tokens with their positions and parenthesis depth, skipping comments, by
 * the rules of one database ({@link SqlSyntax}). The parser tells us what a statement means; the
 * tokens tell us where its parts are, so that rewrites splice into the app's own text instead of
 * re-printing it, and where one statement of a text ends and the next begins.
 */
final class SqlLexer {
    private final String sql;
    private final SqlSyntax syntax;
    private final int n;
    private int pos;
    private int depth;
    /** Inside {@code /*! ... *}{@code /}: the server runs this text, so we read it as code. */
    private boolean inExecutableComment;
    private boolean sawExecutableComment;

    private Token.Kind kind;
    private int start;
    private int end;
    private int tokenDepth;

    SqlLexer(String sql, SqlSyntax syntax) {
        this.sql = sql;
        this.syntax = syntax;
        this.n = sql.length();
    }

    static List<Token> tokens(String sql, SqlSyntax syntax) {
        List<Token> out = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql, syntax);
        while (lexer.next()) {
            out.add(lexer.token());
        }
        return out;
    }

    /** True when the text holds code in an executable comment ({@code /*!...*}{@code /}). */
    static boolean hasExecutableComment(String sql, SqlSyntax syntax) {
        if (!syntax.mysqlComments() || sql.indexOf("/*") < 0) {
            return false;
        }
        SqlLexer lexer = new SqlLexer(sql, syntax);
        while (lexer.next()) {
            if (lexer.sawExecutableComment) {
                return true;
            }
        }
        return lexer.sawExecutableComment;
    }

    /**
     * The statements of a text as [start, end) offsets, split where the server splits them: at
     * semicolons outside quotes and comments, except inside the BEGIN ... END body of a CREATE
     * TRIGGER / PROCEDURE / FUNCTION / EVENT. Empty statements are left out.
     */
    static List<int[]> statements(String sql, SqlSyntax syntax) {
        List<int[]> out = new ArrayList<>(1);
        SqlLexer lexer = new SqlLexer(sql, syntax);
        int first = -1;
        int last = -1;
        boolean create = false;
        boolean kindKnown = false;
        boolean routine = false; // a CREATE TRIGGER / PROCEDURE / FUNCTION / EVENT: may have a body
        int body = 0; // nesting of BEGIN/CASE ... END at depth 0 inside its body
        String previousWord = null;
        while (lexer.next()) {
            Token.Kind k = lexer.kind;
            if (k == Token.Kind.SEMICOLON && body == 0) {
                if (first >= 0) {
                    out.add(new int[] {first, last});
                }
                first = -1;
                create = false;
                kindKnown = false;
                routine = false;
                previousWord = null;
                continue;
            }
            if (first < 0) {
                first = lexer.start;
                create = lexer.isWord("CREATE");
            }
            last = lexer.end;
            if (!create || k != Token.Kind.WORD || lexer.tokenDepth != 0) {
                continue;
            }
            if (!kindKnown) {
                // What is created is named by the first of these words (after OR REPLACE, DEFINER, ...).
                routine = lexer.isWord("TRIGGER") || lexer.isWord("PROCEDURE") || lexer.isWord("FUNCTION")
                        || lexer.isWord("EVENT");
                kindKnown = routine || lexer.isWord("TABLE") || lexer.isWord("VIEW") || lexer.isWord("INDEX")
                        || lexer.isWord("SEQUENCE") || lexer.isWord("DATABASE") || lexer.isWord("SCHEMA")
                        || lexer.isWord("USER") || lexer.isWord("ROLE") || lexer.isWord("SERVER");
            } else if (!routine) {
                continue;
            } else if (lexer.isWord("BEGIN") || body > 0 && lexer.isWord("CASE") && !"END".equals(previousWord)) {
                body++;
            } else if (lexer.isWord("END") && body > 0) {
                body--;
            } else if ("END".equals(previousWord) && (lexer.isWord("IF") || lexer.isWord("LOOP")
                    || lexer.isWord("WHILE") || lexer.isWord("REPEAT") || lexer.isWord("FOR"))) {
                body++; // END IF closes no BEGIN: undo the count of its END
            }
            previousWord = lexer.word();
        }
        if (first >= 0) {
            out.add(new int[] {first, last});
        }
        return out;
    }

    /** Advances to the next token; false at the end of the text. */
    boolean next() {
        while (pos < n) {
            char c = sql.charAt(pos);
            int afterComment = skipComment();
            if (afterComment > pos) {
                pos = afterComment;
                continue;
            }
            if (Character.isWhitespace(c)) {
                pos++;
                continue;
            }
            tokenDepth = depth;
            start = pos;
            if (c == '\'') {
                emit(Token.Kind.STRING, skipQuoted(pos, '\'', syntax.backslashEscapes()));
            } else if (c == '"') {
                // MariaDB reads "..." as a string (with escapes) unless ANSI_QUOTES; the bounds are what matter here.
                emit(Token.Kind.QUOTED_NAME, skipQuoted(pos, '"', syntax.backslashEscapes()));
            } else if (c == '`') {
                emit(Token.Kind.QUOTED_NAME, skipQuoted(pos, '`', false));
            } else if (c == '[' && syntax.bracketNames()) {
                int close = sql.indexOf(']', pos + 1);
                emit(Token.Kind.QUOTED_NAME, close < 0 ? n : close + 1);
            } else if (c == '(') {
                emit(Token.Kind.OPEN, pos + 1);
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                tokenDepth = depth;
                emit(Token.Kind.CLOSE, pos + 1);
            } else if (c == ',') {
                emit(Token.Kind.COMMA, pos + 1);
            } else if (c == ';') {
                emit(Token.Kind.SEMICOLON, pos + 1);
            } else if (c == '?') {
                emit(Token.Kind.PARAMETER, pos + 1);
            } else if (Character.isDigit(c) || c == '.' && pos + 1 < n && Character.isDigit(sql.charAt(pos + 1))) {
                int e = pos + 1;
                while (e < n && (Character.isLetterOrDigit(sql.charAt(e)) || sql.charAt(e) == '.'
                        || (sql.charAt(e) == '+' || sql.charAt(e) == '-')
                        && (sql.charAt(e - 1) == 'e' || sql.charAt(e - 1) == 'E'))) {
                    e++;
                }
                emit(Token.Kind.NUMBER, e);
            } else if (Character.isLetter(c) || c == '_' || c == '$' || c == '@') {
                int e = pos + 1;
                while (e < n && (Character.isLetterOrDigit(sql.charAt(e)) || sql.charAt(e) == '_' || sql.charAt(e) == '$')) {
                    e++;
                }
                emit(Token.Kind.WORD, e);
            } else {
                emit(Token.Kind.OPERATOR, pos + 1);
            }
            return true;
        }
        return false;
    }

    private void emit(Token.Kind k, int tokenEnd) {
        kind = k;
        end = tokenEnd;
        pos = tokenEnd;
    }

    Token token() {
        return new Token(kind, start, end, tokenDepth);
    }

    private boolean isWord(String word) {
        return kind == Token.Kind.WORD && end - start == word.length() && sql.regionMatches(true, start, word, 0, word.length());
    }

    private String word() {
        return sql.substring(start, end).toUpperCase(Locale.ROOT);
    }

    /** End (exclusive) of a quoted run starting at {@code from}; doubled quotes and backslash escapes stay inside. */
    private int skipQuoted(int from, char quote, boolean backslashEscapes) {
        int i = from + 1;
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

    /** The offset after a comment (or executable-comment marker) starting at {@code pos}, or {@code pos}. */
    private int skipComment() {
        int i = pos;
        char c = sql.charAt(i);
        char d = i + 1 < n ? sql.charAt(i + 1) : 0;
        if (c == '-' && d == '-') {
            if (!syntax.mysqlComments() || i + 2 >= n || sql.charAt(i + 2) <= ' ') {
                return lineEnd(i);
            }
            return i;
        }
        if (c == '#' && syntax.mysqlComments()) {
            return lineEnd(i);
        }
        if (c == '/' && d == '*') {
            if (syntax.mysqlComments()) {
                int body = i + 2;
                if (body < n && sql.charAt(body) == 'M' && body + 1 < n && sql.charAt(body + 1) == '!') {
                    body++;
                }
                if (body < n && sql.charAt(body) == '!' && !inExecutableComment) {
                    body++;
                    while (body < n && Character.isDigit(sql.charAt(body))) {
                        body++;
                    }
                    inExecutableComment = true;
                    sawExecutableComment = true;
                    return body;
                }
            }
            int close = sql.indexOf("*/", i + 2);
            return close < 0 ? n : close + 2;
        }
        if (c == '*' && d == '/' && inExecutableComment) {
            inExecutableComment = false;
            return i + 2;
        }
        return i;
    }

    private int lineEnd(int from) {
        int nl = sql.indexOf('\n', from);
        return nl < 0 ? n : nl;
    }

    /** The first keyword of a statement, upper case, or "" when it starts with something else. */
    static String firstKeyword(String sql, SqlSyntax syntax) {
        SqlLexer lexer = new SqlLexer(sql, syntax);
        while (lexer.next()) {
            if (lexer.kind == Token.Kind.OPEN) {
                continue;
            }
            if (lexer.kind != Token.Kind.WORD) {
                return "";
            }
            int e = lexer.start;
            while (e < lexer.end && Character.isLetter(sql.charAt(e))) {
                e++;
            }
            return sql.substring(lexer.start, e).toUpperCase(Locale.ROOT);
        }
        return "";
    }

    /** {@link #firstKeyword(String, SqlSyntax)} under rules every supported database shares. */
    static String firstKeyword(String sql) {
        return firstKeyword(sql, SqlSyntax.SQLITE);
    }
}
