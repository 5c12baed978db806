package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A {@link SnapshotState} fold whose memory does not grow with the data set. The entries are
 * sorted by row (table, key) on disk, keeping for each row the order they were added in, then
 * folded one row at a time by {@code SnapshotState}, so every row sees exactly the calls it would
 * see in one big fold; the resulting entries are sorted again, by device and clock value, and cut
 * into parts. Spill files live in a temporary directory that {@link #close} deletes, also after a
 * failure.
 */
final class BoundedFold implements AutoCloseable {
    /**
     * Writes one snapshot part: entries carrying versions of {@code device}, numbered from 1 per
     * device. The list is reused once the call returns.
     */
    interface PartWriter {
        void write(String device, long number, List<LogEntry> entries) throws IOException;
    }

    /** What {@link #finish} did. */
    record Folded(int rows, long entries, int spillRuns) { }

    /**
     * An entry with the device it goes with (its origin going in, the device of its version coming
     * out), its place in the stream, and its table name lower-cased once (rows are keyed by it).
     */
    private record Tagged(String device, long ordinal, LogEntry entry, String table) {
        static Tagged of(String device, long ordinal, LogEntry entry) {
            return new Tagged(device, ordinal, entry, entry.table().toLowerCase(Locale.ROOT));
        }
    }

    private static final Comparator<Tagged> ROW = Comparator.comparing(Tagged::table)
            .thenComparing(t -> t.entry().key(), Arrays::compare);
    private static final Comparator<Tagged> BY_ROW = ROW.thenComparingLong(Tagged::ordinal);
    private static final Comparator<Tagged> BY_DEVICE_AND_CLOCK = Comparator.comparing(Tagged::device)
            .thenComparingLong(t -> t.entry().hlc())
            .thenComparingLong(Tagged::ordinal);

    private final Path dir;
    private final ExternalSort<Tagged> input;
    private final long budget;
    private long added;

    /**
     * @param parent      where the temporary directory goes
     * @param budgetBytes heap the records of each of the two sorts may take before they spill
     */
    BoundedFold(Path parent, long budgetBytes) throws IOException {
        this.dir = Files.createTempDirectory(parent, "jdbc-sync-compaction-");
        this.budget = budgetBytes;
        this.input = new ExternalSort<>(dir, "in", new TaggedCodec(), BY_ROW, budgetBytes);
    }

    /** The default budget: a sixteenth of the heap, between 1 and 64 MiB. */
    static long defaultBudget() {
        return Math.max(1L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16));
    }

    /** Adds entries of {@code origin}, in the order a fold in memory would apply them. */
    void add(String origin, List<LogEntry> entries) throws IOException {
        for (LogEntry e : entries) {
            input.add(Tagged.of(origin, added++, e));
        }
    }

    /** Folds everything added and hands the snapshot to {@code out}, part by part. */
    Folded finish(int partEntries, PartWriter out) throws IOException {
        int rows = 0;
        long entries = 0;
        try (ExternalSort<Tagged> output = new ExternalSort<>(dir, "out", new TaggedCodec(), BY_DEVICE_AND_CLOCK, budget)) {
            long[] emitted = {0};
            SnapshotState.Sink sink = (device, e) -> output.add(Tagged.of(device, emitted[0]++, e));
            SnapshotState row = new SnapshotState();
            ExternalSort.Cursor<Tagged> sorted = input.sorted();
            Tagged previous = null;
            for (Tagged in = sorted.next(); in != null; previous = in, in = sorted.next()) {
                if (previous != null && ROW.compare(previous, in) != 0) {
                    rows += row.drainTo(sink);
                }
                row.apply(in.device(), List.of(in.entry()));
            }
            rows += row.drainTo(sink);
            ExternalSort.Cursor<Tagged> parts = output.sorted();
            List<LogEntry> part = new ArrayList<>(partEntries);
            String device = null;
            long number = 0;
            for (Tagged o = parts.next(); o != null; o = parts.next()) {
                if (!o.device().equals(device) || part.size() == partEntries) {
                    if (!part.isEmpty()) {
                        out.write(device, number, part);
                        part.clear();
                    }
                    number = o.device().equals(device) ? number + 1 : 1;
                    device = o.device();
                }
                part.add(o.entry());
                entries++;
            }
            if (!part.isEmpty()) {
                out.write(device, number, part);
            }
            return new Folded(rows, entries, input.runs() + output.runs());
        }
    }

    @Override
    public void close() throws IOException {
        input.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    private static final class TaggedCodec implements ExternalSort.Codec<Tagged> {
        @Override
        public void write(DataOutputStream out, Tagged t) throws IOException {
            LogEntry e = t.entry();
            out.writeUTF(t.device());
            out.writeLong(t.ordinal());
            out.writeUTF(e.table());
            out.writeByte(e.op().code());
            out.writeLong(e.hlc());
            writeBytes(out, e.key());
            writeBytes(out, e.data());
            // What each updated column had seen: the rules list concurrent edits by it.
            out.writeInt(e.seen() == null ? -1 : e.seen().size());
            if (e.seen() != null) {
                for (LogEntry.Seen seen : e.seen()) {
                    out.writeBoolean(seen != null);
                    if (seen != null) {
                        out.writeLong(seen.hlc());
                        out.writeUTF(seen.device());
                    }
                }
            }
        }

        @Override
        public Tagged read(DataInputStream in) throws IOException {
            String device = in.readUTF();
            long ordinal = in.readLong();
            String table = in.readUTF();
            Op op = Op.ofCode(in.readByte());
            long hlc = in.readLong();
            byte[] key = readBytes(in);
            byte[] data = readBytes(in);
            int seenCount = in.readInt();
            List<LogEntry.Seen> seen = null;
            if (seenCount >= 0) {
                seen = new ArrayList<>(seenCount);
                for (int i = 0; i < seenCount; i++) {
                    seen.add(in.readBoolean() ? new LogEntry.Seen(in.readLong(), in.readUTF()) : null);
                }
            }
            return Tagged.of(device, ordinal, new LogEntry(hlc, table, op, key, data, seen));
        }

        /** About the heap a record takes: object headers, strings, arrays. */
        @Override
        public long heapBytes(Tagged t) {
            LogEntry e = t.entry();
            return 200 + 8L * e.table().length() + e.key().length + e.data().length
                    + (e.seen() == null ? 0 : 64L * e.seen().size());
        }
    }
}
