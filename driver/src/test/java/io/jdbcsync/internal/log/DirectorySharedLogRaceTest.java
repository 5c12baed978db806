package io.jdbcsync.internal.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdbcsync.spi.BatchConflictException;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several writers and readers on one directory, in threads and in another process. */
class DirectorySharedLogRaceTest {

    @TempDir
    Path dir;

    private Path root;
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        root = dir.resolve("shared");
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void threadsRacingForOneSequenceHaveExactlyOneWinner() throws Exception {
        int writers = 8;
        int sequences = 60;
        CyclicBarrier together = new CyclicBarrier(writers);
        Map<Long, List<String>> winners = new ConcurrentHashMap<>();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String writer = "thread-" + w;
            done.add(pool.submit((Callable<Void>) () -> {
                // One log object per writer, as separate connections would have.
                DirectorySharedLog log = new DirectorySharedLog(root);
                for (long sequence = 0; sequence < sequences; sequence++) {
                    together.await(30, TimeUnit.SECONDS);
                    try {
                        log.putBatch("d1", sequence, RacingBatchWriter.content(writer, sequence));
                        winners.computeIfAbsent(sequence, s -> new CopyOnWriteArrayList<>()).add(writer);
                    } catch (BatchConflictException expected) {
                        // lost the race
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : done) {
            writer.get(60, TimeUnit.SECONDS);
        }

        DirectorySharedLog log = new DirectorySharedLog(root);
        for (long sequence = 0; sequence < sequences; sequence++) {
            List<String> won = winners.getOrDefault(sequence, List.of());
            assertEquals(1, won.size(), "winners of batch " + sequence + ": " + won);
            assertArrayEquals(RacingBatchWriter.content(won.get(0), sequence), log.getBatch("d1", sequence));
        }
        assertNoTempFiles();
    }

    @Test
    void anotherProcessRacingForTheSameSequencesLosesOrWinsCleanly() throws Exception {
        int sequences = 200;
        Path startSignal = dir.resolve("start");
        Path stderr = dir.resolve("child-stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RacingBatchWriter.class.getName(), root.toString(), "d1", String.valueOf(sequences), "process",
                startSignal.toString())
                .redirectError(stderr.toFile())
                .start();
        Map<Long, List<String>> winners = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            assertEquals("READY", ready, () -> "child did not start: " + readQuietly(stderr));

            int writers = 3;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Long>>> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String writer = "thread-" + w;
                threads.add(pool.submit(() -> {
                    DirectorySharedLog log = new DirectorySharedLog(root);
                    List<Long> won = new ArrayList<>();
                    go.await();
                    for (long sequence = 0; sequence < sequences; sequence++) {
                        try {
                            log.putBatch("d1", sequence, RacingBatchWriter.content(writer, sequence));
                            won.add(sequence);
                        } catch (BatchConflictException expected) {
                            // lost the race
                        }
                    }
                    return won;
                }));
            }
            Files.createFile(startSignal);
            go.countDown();

            for (int w = 0; w < writers; w++) {
                for (long sequence : threads.get(w).get(60, TimeUnit.SECONDS)) {
                    winners.computeIfAbsent(sequence, s -> new ArrayList<>()).add("thread-" + w);
                }
            }
            String line;
            while ((line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts[1].equals("WON")) {
                    winners.computeIfAbsent(Long.parseLong(parts[0]), s -> new ArrayList<>()).add("process");
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child process finished");
        assertEquals(0, child.exitValue(), () -> "child failed: " + readQuietly(stderr));

        DirectorySharedLog log = new DirectorySharedLog(root);
        for (long sequence = 0; sequence < sequences; sequence++) {
            List<String> won = winners.getOrDefault(sequence, List.of());
            assertEquals(1, won.size(), "winners of batch " + sequence + ": " + won);
            assertArrayEquals(RacingBatchWriter.content(won.get(0), sequence), log.getBatch("d1", sequence));
        }
        assertNoTempFiles();
    }

    @Test
    void readersNeverSeeAPartialBatch() throws Exception {
        int batches = 8;
        BatchCodec codec = new BatchCodec(null);
        AtomicBoolean writing = new AtomicBoolean(true);

        Future<Void> writer = pool.submit(() -> {
            DirectorySharedLog log = new DirectorySharedLog(root);
            Random random = new Random(7);
            try {
                for (long sequence = 0; sequence < batches; sequence++) {
                    byte[] data = new byte[5 * 1024 * 1024];
                    random.nextBytes(data);
                    byte[] encoded = codec.encode(TestBatches.withData("d1", sequence, "blobs", data));
                    assertTrue(encoded.length > 5_000_000);
                    log.putBatch("d1", sequence, encoded);
                }
            } finally {
                writing.set(false);
            }
            return null;
        });
        // Two kinds of reader: one that follows the listing, one that guesses the next name.
        Future<Integer> lister = pool.submit(() -> {
            DirectorySharedLog log = new DirectorySharedLog(root);
            long last = -1;
            int decoded = 0;
            while (last < batches - 1) {
                for (long sequence : log.listBatches("d1", last, 100)) {
                    assertEquals("d1", codec.decode(log.getBatch("d1", sequence), "d1", sequence).device());
                    last = sequence;
                    decoded++;
                }
                if (!writing.get() && log.listBatches("d1", last, 1).isEmpty()) {
                    break;
                }
                Thread.yield();
            }
            return decoded;
        });
        Future<Integer> guesser = pool.submit(() -> {
            DirectorySharedLog log = new DirectorySharedLog(root);
            long next = 0;
            int attempts = 0;
            while (next < batches) {
                try {
                    byte[] bytes = log.getBatch("d1", next);
                    codec.decode(bytes, "d1", next);
                    next++;
                } catch (FileNotFoundException notYet) {
                    Thread.yield();
                    attempts++;
                    if (!writing.get() && attempts > 1_000_000) {
                        break;
                    }
                }
            }
            return (int) next;
        });

        writer.get(120, TimeUnit.SECONDS);
        assertEquals(batches, lister.get(60, TimeUnit.SECONDS));
        assertEquals(batches, guesser.get(60, TimeUnit.SECONDS));
        assertNoTempFiles();
    }

    @Test
    void readersNeverSeeAPartlyReplacedObject() throws Exception {
        int versions = 40;
        AtomicBoolean writing = new AtomicBoolean(true);
        Future<Void> writer = pool.submit(() -> {
            DirectorySharedLog log = new DirectorySharedLog(root);
            try {
                for (int version = 0; version < versions; version++) {
                    byte[] content = new byte[512 * 1024];
                    java.util.Arrays.fill(content, (byte) version);
                    log.putObject("snapshots/latest", content);
                }
            } finally {
                writing.set(false);
            }
            return null;
        });
        Future<Integer> reader = pool.submit(() -> {
            DirectorySharedLog log = new DirectorySharedLog(root);
            int reads = 0;
            while (writing.get()) {
                var content = log.getObject("snapshots/latest");
                if (content.isPresent()) {
                    byte[] bytes = content.get();
                    assertEquals(512 * 1024, bytes.length);
                    for (byte b : bytes) {
                        assertEquals(bytes[0], b, "one version, never a mix");
                    }
                    reads++;
                }
            }
            return reads;
        });
        writer.get(60, TimeUnit.SECONDS);
        assertTrue(reader.get(60, TimeUnit.SECONDS) >= 0);
        assertNoTempFiles();
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList());
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
