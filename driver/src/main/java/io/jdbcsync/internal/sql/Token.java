package io.jdbcsync.internal.sql;

/** A lexical token of a SQL text: its kind, where it starts and where it ends (exclusive). */
record Token(Token.Kind kind, int start, int end, int depth) {

    enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, PARAMETER, OPEN, CLOSE, COMMA, SEMICOLON, OPERATOR }

    String text(String sql) {
        return sql.substring(start, end);
    }

    boolean isWord(String sql, String word) {
        return kind == Kind.WORD && end - start == word.length() && sql.regionMatches(true, start, word, 0, word.length());
    }
}
