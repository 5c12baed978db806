package io.jdbcsync.internal.sql;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs JSqlParser. Its {@code CCJSqlParserUtil.parse(String)} starts a new thread for every text (to
 * bound the parse by a timeout), which costs more than the parse of a short write: a text every
 * execution of which is new (literals in the text, as clients that do not prepare send them) paid
 * it each time. The first, simple pass runs here on the caller's thread; only a text it cannot
 * read takes the library's path, on one long-lived thread, with the library's timeout, since the
 * complex pass can take very long on deeply nested text.
 */
final class StatementParsing {
    private static final ExecutorService COMPLEX = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jdbc-sync-sql-parser");
        t.setDaemon(true);
        return t;
    });

    private StatementParsing() {
    }

    static Statement parse(String sql) throws JSQLParserException {
        CCJSqlParser simple = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false);
        try {
            return simple.Statement();
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            // Not readable in the simple pass: the library's own path decides (complex pass, timeout, error).
        }
        synchronized (COMPLEX) {
            // One text at a time: a text that times out leaves the thread busy, not a pile of threads.
            return CCJSqlParserUtil.parse(sql, COMPLEX, null);
        }
    }
}
