package io.jdbcsync.internal.sql;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.statement.insert.Insert;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Texts are parsed on the caller's thread: a new text per execution starts no thread. */
class StatementParsingTest {

    @Test
    void distinctTextsStartNoThreads() throws Exception {
        StatementParsing.parse("INSERT INTO t (id, c) VALUES (0, 'warm')");
        long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        for (int i = 1; i <= 200; i++) {
            Insert insert = assertInstanceOf(Insert.class, StatementParsing.parse("INSERT INTO t (id, c) VALUES (" + i + ", 'v" + i + "')"));
            assertEquals("t", insert.getTable().getName());
        }
        long more = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - started;
        assertEquals(true, more < 20, more + " threads started for 200 parses");
    }

    @Test
    void unreadableTextsStillGetTheParsersError() {
        assertThrows(JSQLParserException.class, () -> StatementParsing.parse("INSERT INTO t VALUES ((1, 2"));
        assertThrows(JSQLParserException.class, () -> StatementParsing.parse("UPDATE SET WHERE"));
    }
}
