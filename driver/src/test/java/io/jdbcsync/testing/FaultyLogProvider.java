package io.jdbcsync.testing;

import io.jdbcsync.internal.log.DirectorySharedLog;
import io.jdbcsync.spi.SharedLog;
import io.jdbcsync.spi.SharedLogProvider;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * {@code faulty:///path}: a directory log that fails on purpose, to play crashes and outages at
 * every step of push and pull. Faults are switched globally by tests.
 */
public final class FaultyLogProvider implements SharedLogProvider {
    /** Probability (0..1) of each fault kind; a fixed seed keeps runs reproducible. */
    public static volatile double failBeforeWrite;
    public static volatile double loseWriteResponse;
    public static volatile double failRead;
    public static volatile double failList;
    private static Random random = new Random(1);
    /** Calls made to any faulty log, per SharedLog method name. */
    public static final Map<String, java.util.concurrent.atomic.AtomicLong> CALLS = new java.util.concurrent.ConcurrentHashMap<>();

    private static void count(String method) {
        CALLS.computeIfAbsent(method, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    }

    /** Total calls since the counters were cleared. */
    public static long totalCalls() {
        return CALLS.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum();
    }

    public static synchronized void reset(long seed) {
        random = new Random(seed);
        failBeforeWrite = 0;
        loseWriteResponse = 0;
        failRead = 0;
        failList = 0;
    }

    private static synchronized boolean roll(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    @Override
    public boolean supports(String scheme) {
        return "faulty".equals(scheme);
    }

    @Override
    public Set<String> optionNames() {
        return Set.of();
    }

    @Override
    public SharedLog open(URI location, Map<String, String> options) throws IOException {
        return new Faulty(new DirectorySharedLog(Path.of(location.getPath())));
    }

    private static final class Faulty implements SharedLog {
        private final SharedLog inner;

        Faulty(SharedLog inner) {
            this.inner = inner;
        }

        private static void maybe(double p, String what) throws IOException {
            if (roll(p)) {
                throw new IOException("injected fault: " + what);
            }
        }

        @Override
        public void putBatch(String device, long sequence, byte[] content) throws IOException {
            count("putBatch");
            maybe(failBeforeWrite, "before writing batch " + sequence);
            inner.putBatch(device, sequence, content);
            maybe(loseWriteResponse, "response of batch " + sequence + " lost");
        }

        @Override
        public List<Long> listBatches(String device, long afterSequence, int maxResults) throws IOException {
            count("listBatches");
            maybe(failList, "listing " + device);
            return inner.listBatches(device, afterSequence, maxResults);
        }

        @Override
        public byte[] getBatch(String device, long sequence) throws IOException {
            count("getBatch");
            maybe(failRead, "reading batch " + device + "/" + sequence);
            return inner.getBatch(device, sequence);
        }

        @Override
        public void deleteBatches(String device, long upToSequence) throws IOException {
            count("deleteBatches");
            inner.deleteBatches(device, upToSequence);
        }

        @Override
        public List<String> listDevices() throws IOException {
            count("listDevices");
            maybe(failList, "listing devices");
            return inner.listDevices();
        }

        @Override
        public void putObject(String name, byte[] content) throws IOException {
            count("putObject");
            maybe(failBeforeWrite, "before writing " + name);
            inner.putObject(name, content);
        }

        @Override
        public boolean putObjectIfAbsent(String name, byte[] content) throws IOException {
            count("putObjectIfAbsent");
            return inner.putObjectIfAbsent(name, content);
        }

        @Override
        public Optional<byte[]> getObject(String name) throws IOException {
            count("getObject");
            maybe(failRead, "reading " + name);
            return inner.getObject(name);
        }

        @Override
        public List<String> listObjects(String prefix) throws IOException {
            count("listObjects");
            return inner.listObjects(prefix);
        }

        @Override
        public void deleteObject(String name) throws IOException {
            count("deleteObject");
            inner.deleteObject(name);
        }

        @Override
        public String describe() {
            return "faulty " + inner.describe();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
