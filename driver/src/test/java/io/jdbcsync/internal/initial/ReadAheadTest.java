package io.jdbcsync.internal.initial;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The clone's read-ahead: chunks in order, the reader's failure at the caller, a clean stop. */
class ReadAheadTest {

    @Test
    void chunksArriveInOrderThenNull() throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Integer> got = new ArrayList<>();
        try (ReadAhead<Integer> r = new ReadAhead<>("test-read", 2, () -> next.get() < 10 ? next.getAndIncrement() : null)) {
            for (Integer i = r.next(); i != null; i = r.next()) {
                got.add(i);
            }
            assertNull(r.next(), "still null after the end");
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), got);
    }

    @Test
    void theReadersFailureIsThrownToTheCallerAfterTheChunksBeforeIt() throws Exception {
        SQLException failure = new SQLException("source gone", "08006");
        AtomicInteger next = new AtomicInteger();
        try (ReadAhead<Integer> r = new ReadAhead<>("test-read", 2, () -> {
            if (next.get() == 3) {
                throw failure;
            }
            return next.getAndIncrement();
        })) {
            assertEquals(0, r.next());
            assertEquals(1, r.next());
            assertEquals(2, r.next());
            assertSame(failure, assertThrows(SQLException.class, r::next));
        }
    }

    @Test
    void closeStopsAReaderThatWaitsForRoomAndFreesTheSource() throws Exception {
        AtomicInteger produced = new AtomicInteger();
        Thread[] reader = new Thread[1];
        ReadAhead<Integer> r = new ReadAhead<>("test-read", 2, () -> {
            reader[0] = Thread.currentThread();
            return produced.getAndIncrement(); // endless: it blocks once two chunks wait
        });
        assertEquals(0, r.next());
        while (produced.get() < 3) {
            Thread.sleep(5);
        }
        r.close();
        assertFalse(reader[0].isAlive(), "the reading thread ended, so the source connection is free");
        int after = produced.get();
        Thread.sleep(50);
        assertEquals(after, produced.get(), "nothing is read after close");
    }
}
