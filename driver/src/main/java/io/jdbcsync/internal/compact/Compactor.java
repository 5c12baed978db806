package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.diagnostics.Causes;
import io.jdbcsync.internal.log.Batch;
import io.jdbcsync.internal.log.BatchCipher;
import io.jdbcsync.internal.log.BatchCodec;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.spi.SharedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Folds batches that every device has integrated into a new snapshot and deletes them, so the
 * log's size follows the data set, not its history. Safe without a coordinator: the snapshot
 * manifest is written create-only (a concurrent compaction of the same number loses and cleans
 * up), batches are deleted only after it is published, and each device's newest batch is never
 * deleted, so its name stays taken.
 */
public final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    private static final int PART_ENTRIES = 5000;

    private final SharedLog log;
    private final BatchCodec codec;
    private final BatchCipher cipher;
    private final Path spillParent;
    private final long foldBudget;

    /** What a compaction did. */
    public record Result(long snapshot, int rows, long batchesFolded, Map<String, Long> cuts, Set<String> retired) {
        static Result nothing(Set<String> retired) {
            return new Result(-1, 0, 0, Map.of(), retired);
        }
    }

    public Compactor(SharedLog log, BatchCodec codec, BatchCipher cipher) {
        this(log, codec, cipher, Path.of(System.getProperty("java.io.tmpdir")), BoundedFold.defaultBudget());
    }

    /**
     * @param spillParent where compaction's temporary spill directory goes
     * @param foldBudget  heap each sort of the fold may fill before it spills
     */
    Compactor(SharedLog log, BatchCodec codec, BatchCipher cipher, Path spillParent, long foldBudget) {
        this.log = log;
        this.codec = codec;
        this.cipher = cipher;
        this.spillParent = spillParent;
        this.foldBudget = foldBudget;
    }

    public static String retiredName(String device) {
        return "retired/" + io.jdbcsync.internal.log.DeviceIds.require(device);
    }

    /** Marks a device as gone for good: its progress no longer holds back compaction. */
    public void retire(String device, String why) throws IOException {
        log.putObject(retiredName(device), ("retired " + System.currentTimeMillis() + " " + why).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Compacts what every active device has integrated.
     *
     * @param retireAfterMillis devices whose progress is older than this are retired first (0: never)
     */
    public Result compact(long retireAfterMillis, long nowMillis) throws IOException {
        Set<String> retired = new HashSet<>();
        for (String name : log.listObjects("retired/")) {
            retired.add(name.substring("retired/".length()));
        }
        Map<String, Progress> progress = new HashMap<>();
        for (String name : log.listObjects("progress/")) {
            String device = name.substring("progress/".length());
            if (!io.jdbcsync.internal.log.DeviceIds.isValid(device)) {
                continue; // not written by a device: never act on it
            }
            Optional<Progress> p = Progress.read(log, device);
            p.ifPresent(x -> progress.put(device, x));
        }
        if (retireAfterMillis > 0) {
            for (Progress p : progress.values()) {
                if (!retired.contains(p.device()) && nowMillis - p.updatedMillis() > retireAfterMillis) {
                    retire(p.device(), "silent since " + p.updatedMillis());
                    retired.add(p.device());
                    LOG.info("retired device {}: no progress for more than {} ms", p.device(), retireAfterMillis);
                }
            }
        }
        List<String> devices = log.listDevices();
        Set<String> participants = new HashSet<>(devices);
        participants.addAll(progress.keySet());
        participants.removeAll(retired);
        Optional<Manifest> previous = Manifest.latest(log, cipher);
        Map<String, Long> cuts = new TreeMap<>();
        boolean progressed = false;
        for (String d : devices) {
            long newest = newestBatch(d);
            // Keep each device's newest batch: its name stays taken, and a device that fell behind
            // still sees a gap, which sends it to the snapshot.
            long cut = Math.max(0, newest - 1);
            for (String x : participants) {
                if (!x.equals(d)) {
                    Progress p = progress.get(x);
                    cut = Math.min(cut, p == null ? 0 : p.integrated().getOrDefault(d, 0L));
                }
            }
            long before = previous.map(m -> m.cut(d)).orElse(0L);
            cuts.put(d, Math.max(cut, before));
            progressed |= cut > before;
        }
        previous.ifPresent(m -> m.cuts().forEach(cuts::putIfAbsent));
        if (!progressed) {
            return Result.nothing(retired);
        }
        long number = previous.map(m -> m.number() + 1).orElse(1L);
        String attempt = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        List<Manifest.Part> parts = new ArrayList<>();
        Manifest manifest = new Manifest(number, attempt, cuts, parts);
        long folded = 0;
        BoundedFold.Folded result;
        try (BoundedFold fold = new BoundedFold(spillParent, foldBudget)) {
            if (previous.isPresent()) {
                for (Manifest.Part part : previous.get().parts()) {
                    fold.add(part.device(), readPart(previous.get(), part));
                }
            }
            for (Map.Entry<String, Long> c : cuts.entrySet()) {
                long from = previous.map(m -> m.cut(c.getKey())).orElse(0L);
                for (long seq = from + 1; seq <= c.getValue(); seq++) {
                    Batch b = codec.decode(log.getBatch(c.getKey(), seq), c.getKey(), seq);
                    fold.add(c.getKey(), b.entries());
                    folded++;
                }
            }
            result = fold.finish(PART_ENTRIES, (device, k, chunk) -> {
                Manifest.Part part = new Manifest.Part(device, k);
                parts.add(part); // first, so that a failed write still removes what it may have left
                log.putObject(manifest.partName(part), codec.encode(new Batch(device, k, chunk)));
            });
        } catch (IOException | RuntimeException e) {
            deleteQuietly(manifest);
            throw e;
        }
        LOG.debug("snapshot {}: {} rows, {} entries, {} spill runs", number, result.rows(), result.entries(), result.spillRuns());
        if (!log.putObjectIfAbsent(manifest.name(), manifest.encode(cipher))) {
            deleteParts(manifest);
            LOG.info("another device published snapshot {} first; this compaction is dropped", number);
            return Result.nothing(retired);
        }
        for (Map.Entry<String, Long> c : cuts.entrySet()) {
            if (devices.contains(c.getKey()) && c.getValue() > 0) {
                log.deleteBatches(c.getKey(), c.getValue());
            }
        }
        previous.ifPresent(m -> {
            try {
                deleteParts(m);
                log.deleteObject(m.name());
            } catch (IOException e) {
                LOG.warn("could not delete the previous snapshot {}: {}", m.number(), Causes.of(e));
            }
        });
        return new Result(number, result.rows(), folded, cuts, retired);
    }

    private long newestBatch(String device) throws IOException {
        long newest = 0;
        long after = 0;
        while (true) {
            List<Long> page = log.listBatches(device, after, 1000);
            if (page.isEmpty()) {
                return newest;
            }
            newest = page.get(page.size() - 1);
            after = newest;
        }
    }

    /** One part of snapshot {@code m}, fetched, deciphered and decoded. */
    public List<LogEntry> readPart(Manifest m, Manifest.Part part) throws IOException {
        Optional<byte[]> bytes = log.getObject(m.partName(part));
        if (bytes.isEmpty()) {
            throw new IOException("snapshot " + m.number() + " lacks its part " + part + " (deleted by a newer compaction?)");
        }
        return codec.decode(bytes.get(), part.device(), part.number()).entries();
    }

    /** Removes the parts of an attempt that failed; the failure itself is what the caller reports. */
    private void deleteQuietly(Manifest attempt) {
        try {
            deleteParts(attempt);
        } catch (IOException e) {
            LOG.warn("could not remove the parts of a failed compaction attempt {}: {}", attempt.attempt(), Causes.of(e));
        }
    }

    private void deleteParts(Manifest m) throws IOException {
        for (Manifest.Part p : m.parts()) {
            log.deleteObject(m.partName(p));
        }
    }
}
