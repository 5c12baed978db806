package io.jdbcsync.internal.sql;

import java.util.List;

/** Reads transaction control sent as SQL text (BEGIN, COMMIT, ROLLBACK), which JDBC state does not show. */
public final class TransactionText {

    private TransactionText() {
    }

    /** BEGIN [...] or START TRANSACTION. */
    public static boolean beginsTransaction(String sql) {
        String k = SqlLexer.firstKeyword(sql);
        return k.equals("BEGIN") || k.equals("START");
    }

    /** COMMIT, END or ROLLBACK, but not ROLLBACK TO a savepoint. */
    public static boolean endsTransaction(String sql) {
        String k = SqlLexer.firstKeyword(sql);
        if (k.equals("COMMIT") || k.equals("END")) {
            return true;
        }
        return k.equals("ROLLBACK") && !rollsBackToSavepoint(sql);
    }

    public static boolean endsTransactionWithCommit(String sql) {
        String k = SqlLexer.firstKeyword(sql);
        return k.equals("COMMIT") || k.equals("END");
    }

    /** The name a {@code SAVEPOINT name} statement opens, unquoted; null for other statements. */
    public static String savepointOpened(String sql) {
        return SqlLexer.firstKeyword(sql).equals("SAVEPOINT") ? nameAfter(sql, 1) : null;
    }

    /** The name a {@code RELEASE [SAVEPOINT] name} statement releases, unquoted; null for other statements. */
    public static String savepointReleased(String sql) {
        if (!SqlLexer.firstKeyword(sql).equals("RELEASE")) {
            return null;
        }
        List<Token> tokens = SqlLexer.tokens(sql, SqlSyntax.SQLITE);
        int at = tokens.size() > 2 && tokens.get(1).isWord(sql, "SAVEPOINT") ? 2 : 1;
        return nameAfter(sql, at);
    }

    private static String nameAfter(String sql, int index) {
        List<Token> tokens = SqlLexer.tokens(sql, SqlSyntax.SQLITE);
        if (tokens.size() <= index) {
            return null;
        }
        Token t = tokens.get(index);
        String text = t.text(sql);
        if (t.kind() == Token.Kind.QUOTED_NAME || t.kind() == Token.Kind.STRING) {
            text = text.substring(1, Math.max(1, text.length() - 1));
        }
        return text;
    }

    private static boolean rollsBackToSavepoint(String sql) {
        List<Token> tokens = SqlLexer.tokens(sql, SqlSyntax.SQLITE);
        for (Token t : tokens) {
            if (t.isWord(sql, "TO")) {
                return true;
            }
        }
        return false;
    }
}
