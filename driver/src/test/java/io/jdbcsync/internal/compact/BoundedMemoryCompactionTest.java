package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.log.Batch;
import io.jdbcsync.internal.log.BatchCodec;
import io.jdbcsync.internal.log.DirectorySharedLog;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compaction's memory does not grow with the data set: a log whose entries alone (their encoded
 * bytes, before any object overhead) outweigh the heap is compacted in a JVM with a 64 MiB heap, and the snapshot holds every row
 * exactly once with its last values. Size: {@code -Dcompaction.rows} (default 600,000).
 */
class BoundedMemoryCompactionTest {
    private static final int ROWS = Integer.getInteger("compaction.rows", 600_000);
    private static final long T0 = 1L << 40;
    private static final int BATCH = 2000;
    private static final String NOTE = "a note long enough to weigh like a real row, with some words in it, #";

    @Test
    void aLogFarLargerThanTheHeapCompactsInA64MiBJvm() throws Exception {
        Path root = Files.createTempDirectory("bounded-compaction");
        try {
            Path logDir = root.resolve("log");
            Path spill = Files.createDirectories(root.resolve("spill"));
            BatchCodec codec = new BatchCodec(null);
            long entryBytes;
            try (DirectorySharedLog log = new DirectorySharedLog(logDir)) {
                // dev-a inserts every row, dev-b then updates every 10th, dev-a then deletes every 100th.
                Written a = write(log, codec, "dev-a", 1, BoundedMemoryCompactionTest::insert);
                Written b = write(log, codec, "dev-b", 1, i -> i % 10 == 0
                        ? new LogEntry(T0 + ROWS + i, "item", Op.UPDATE, ValueCodec.encodeKey(List.of((long) i)),
                        ValueCodec.encodeRow(List.of("qty"), List.of((long) -i))) : null);
                Written d = write(log, codec, "dev-a", a.last() + 1, i -> i % 100 == 0
                        ? new LogEntry(T0 + 2L * ROWS + i, "item", Op.DELETE, ValueCodec.encodeKey(List.of((long) i)), new byte[0])
                        : null);
                long lastA = d.last();
                long lastB = b.last();
                entryBytes = a.bytes() + b.bytes() + d.bytes();
                // Each device's newest batch stays out of the snapshot: one more each.
                log.putBatch("dev-a", lastA + 1, codec.encode(new Batch("dev-a", lastA + 1, List.of(insert(ROWS + 1)))));
                log.putBatch("dev-b", lastB + 1, codec.encode(new Batch("dev-b", lastB + 1, List.of(insert(ROWS + 2)))));
                long now = System.currentTimeMillis();
                log.putObject(Progress.name("dev-a"), new Progress("dev-a", now, lastA + 1, Map.of("dev-b", lastB + 1)).encode());
                log.putObject(Progress.name("dev-b"), new Progress("dev-b", now, lastB + 1, Map.of("dev-a", lastA + 1)).encode());
            }
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-cp", System.getProperty("java.class.path"), CompactInSmallHeap.class.getName(), logDir.toString(), spill.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(600, TimeUnit.SECONDS), "compaction did not finish");
            String text = new String(output, StandardCharsets.UTF_8);
            System.out.printf("%,d rows, %,d bytes of log entries: %s%n", ROWS, entryBytes, text.trim());
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.contains("rows=" + ROWS + " "), text);
            assertTrue(entryBytes > 64 << 20, "the log's entries alone outweigh the heap: " + entryBytes);
            try (var left = Files.list(spill)) {
                assertEquals(0, left.count(), "spill directory removed");
            }
            try (DirectorySharedLog log = new DirectorySharedLog(logDir)) {
                check(log, codec);
            }
        } finally {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Streams the snapshot: every row once, deleted rows as deletes, dev-b's updates where they won. */
    private static void check(DirectorySharedLog log, BatchCodec codec) throws Exception {
        Manifest m = Manifest.latest(log, null).orElseThrow();
        Compactor reader = new Compactor(log, codec, null);
        BitSet seen = new BitSet();
        int updates = 0;
        for (Manifest.Part part : m.parts()) {
            for (LogEntry e : reader.readPart(m, part)) {
                int id = (int) (long) (Long) ValueCodec.decodeKey(e.key())[0];
                if (part.device().equals("dev-b")) {
                    assertEquals(Op.UPDATE, e.op());
                    assertTrue(id % 10 == 0 && id % 100 != 0, "update of row " + id);
                    assertEquals(List.of((Object) (long) -id), ValueCodec.decodeRow(e.data()).values());
                    updates++;
                    continue;
                }
                assertTrue(!seen.get(id), "row " + id + " twice");
                seen.set(id);
                if (id % 100 == 0) {
                    assertEquals(Op.DELETE, e.op(), "row " + id);
                } else {
                    assertEquals(Op.INSERT, e.op(), "row " + id);
                    Row row = ValueCodec.decodeRow(e.data());
                    assertEquals(NOTE + id, row.values().get(row.columns().indexOf("note")));
                }
            }
        }
        assertEquals(ROWS, seen.cardinality());
        assertEquals(ROWS / 10 - ROWS / 100, updates);
    }

    private static LogEntry insert(int i) {
        return new LogEntry(T0 + i, "item", Op.INSERT, ValueCodec.encodeKey(List.of((long) i)), ValueCodec.encodeRow(
                List.of("id", "name", "qty", "note"), List.of((long) i, "item number " + i, (long) (i % 1000), NOTE + i)));
    }

    private record Written(long last, long bytes) { }

    /** Writes the entries {@code make} gives for rows 1..ROWS (null: none) as batches numbered from {@code first}. */
    private static Written write(DirectorySharedLog log, BatchCodec codec, String device, long first,
                                 java.util.function.IntFunction<LogEntry> make) throws Exception {
        List<LogEntry> batch = new ArrayList<>();
        long seq = first;
        long bytes = 0;
        for (int i = 1; i <= ROWS; i++) {
            LogEntry e = make.apply(i);
            if (e != null) {
                batch.add(e);
                bytes += e.key().length + e.data().length + e.table().length() + 9;
            }
            if (batch.size() == BATCH || (i == ROWS && !batch.isEmpty())) {
                log.putBatch(device, seq, codec.encode(new Batch(device, seq, batch)));
                seq++;
                batch = new ArrayList<>();
            }
        }
        return new Written(seq - 1, bytes);
    }
}
