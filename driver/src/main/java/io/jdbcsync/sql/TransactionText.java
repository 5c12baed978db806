package io.jdbcsync.sql;

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
