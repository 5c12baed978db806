package io.jdbcsync.internal.compact;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Sorts more records than memory holds: records gather in memory up to a byte budget, each full
 * buffer is sorted and written to a run file in the caller's directory, and the runs are merged
 * (at most {@link #FAN_IN} at a time, so open files and their buffers stay bounded too). What fits
 * the budget never touches the disk. Equal records keep no particular order: callers put a
 * tie-break (an ordinal) in the order.
 */
final class ExternalSort<T> implements AutoCloseable {
    static final int FAN_IN = 32;
    private static final int BUFFER = 1 << 16;

    /** How a record is written to and read from a run file, and about how much heap it takes. */
    interface Codec<T> {
        void write(DataOutputStream out, T record) throws IOException;

        T read(DataInputStream in) throws IOException;

        long heapBytes(T record);
    }

    /** Records in order; {@code null} after the last. */
    interface Cursor<T> {
        T next() throws IOException;
    }

    private final Path dir;
    private final String name;
    private final Codec<T> codec;
    private final Comparator<T> order;
    private final long budget;
    private final List<T> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private final List<DataInputStream> open = new ArrayList<>();
    private long buffered;
    private long count;
    private int files;

    ExternalSort(Path dir, String name, Codec<T> codec, Comparator<T> order, long budgetBytes) {
        this.dir = dir;
        this.name = name;
        this.codec = codec;
        this.order = order;
        this.budget = budgetBytes;
    }

    void add(T record) throws IOException {
        buffer.add(record);
        count++;
        buffered += codec.heapBytes(record);
        if (buffered >= budget) {
            spillBuffer();
        }
    }

    long count() {
        return count;
    }

    int runs() {
        return runs.size();
    }

    /** Every record added, in order. Call once, after the last {@link #add}. */
    Cursor<T> sorted() throws IOException {
        if (runs.isEmpty()) {
            buffer.sort(order);
            Iterator<T> it = buffer.iterator();
            return () -> it.hasNext() ? it.next() : null;
        }
        if (!buffer.isEmpty()) {
            spillBuffer();
        }
        List<Path> level = new ArrayList<>(runs);
        while (level.size() > FAN_IN) {
            List<Path> next = new ArrayList<>();
            for (int from = 0; from < level.size(); from += FAN_IN) {
                List<Path> group = level.subList(from, Math.min(level.size(), from + FAN_IN));
                Cursor<T> merged = merge(group);
                next.add(write(asIterator(merged)));
                closeOpen();
                for (Path p : group) {
                    Files.deleteIfExists(p);
                }
            }
            level = next;
        }
        return merge(level);
    }

    private void spillBuffer() throws IOException {
        buffer.sort(order);
        runs.add(write(buffer.iterator()));
        buffer.clear();
        buffered = 0;
    }

    private Path write(Iterator<T> records) throws IOException {
        Path run = dir.resolve(name + "-" + files++);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), BUFFER))) {
            while (records.hasNext()) {
                out.writeBoolean(true);
                codec.write(out, records.next());
            }
            out.writeBoolean(false);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return run;
    }

    private Cursor<T> merge(List<Path> files) throws IOException {
        record Head<T>(T record, int source) { }
        List<DataInputStream> ins = new ArrayList<>();
        for (Path f : files) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), BUFFER));
            open.add(in);
            ins.add(in);
        }
        PriorityQueue<Head<T>> heads = new PriorityQueue<>(Math.max(1, files.size()),
                (a, b) -> order.compare(a.record(), b.record()));
        for (int i = 0; i < ins.size(); i++) {
            T first = readOne(ins.get(i));
            if (first != null) {
                heads.add(new Head<>(first, i));
            }
        }
        return () -> {
            Head<T> h = heads.poll();
            if (h == null) {
                return null;
            }
            T following = readOne(ins.get(h.source()));
            if (following != null) {
                heads.add(new Head<>(following, h.source()));
            }
            return h.record();
        };
    }

    private T readOne(DataInputStream in) throws IOException {
        try {
            return in.readBoolean() ? codec.read(in) : null;
        } catch (EOFException e) {
            throw new IOException("a spill file of the compaction in " + dir + " ended early", e);
        }
    }

    private Iterator<T> asIterator(Cursor<T> cursor) throws IOException {
        T first = cursor.next();
        return new Iterator<>() {
            private T next = first;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public T next() {
                T out = next;
                try {
                    next = cursor.next();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return out;
            }
        };
    }

    private void closeOpen() throws IOException {
        for (DataInputStream in : open) {
            in.close();
        }
        open.clear();
    }

    @Override
    public void close() throws IOException {
        buffer.clear();
        closeOpen();
    }
}
