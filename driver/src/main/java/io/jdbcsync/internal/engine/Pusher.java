package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncProgress;
import io.jdbcsync.internal.capture.ChangeLogTable;
import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.device.MetadataStore;
import io.jdbcsync.internal.log.Batch;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.PackedChanges;
import io.jdbcsync.internal.merge.Integrator;
import io.jdbcsync.spi.BatchConflictException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sends this device's unshared log entries to the shared log as numbered batches. Each batch is
 * first assigned in the database and its versions folded (so a crash resumes the very same batch),
 * then written create-only, then acknowledged by removing its entries, in the transaction that
 * assigns the next one. A retried write that finds its own batch already there is recognised by
 * content.
 */
final class Pusher {
    private final Device device;
    private final Connection c;
    private final LogSession session;
    private final Integrator integrator;
    private final int maxEntries;
    private final long maxBytes;
    /** Highest clock value of the batch just assigned (its rows are all at or below it), or MAX. */
    private long assignedUpTo = Long.MAX_VALUE;
    /** Told after every batch (null: nobody listens, and the backlog is not counted). */
    private Consumer<SyncProgress> progress;
    private long pushedSoFar;
    private long batchesSoFar;

    Pusher(Device device, Connection c, LogSession session, Integrator integrator, int maxEntries, long maxBytes) {
        this.device = device;
        this.c = c;
        this.session = session;
        this.integrator = integrator;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /**
     * Pushes what was committed when the push started (and writes of transactions that were in
     * flight then, which carry older clock values); later writes wait for the next sync, so a push
     * ends whatever the write rate. Returns the number of entries pushed.
     *
     * <p>Batch n is written to the shared log ({@link OverlappedLogCall}) while the transaction of batch
     * n + 1 assigns and folds it; batch n is acknowledged in the transaction after that, once its
     * write ended. So at most two batches are assigned and not acknowledged, and a push that stops
     * anywhere leaves them to be resumed in order, as a single one was before.
     */
    long pushAll() throws SQLException, IOException {
        long total = 0;
        long upTo = newestLogged();
        long expected = progress == null ? 0 : pushedSoFar + unpushed(upTo);
        Assigned written = null; // written, not acknowledged yet
        Assigned writing = null; // being written
        OverlappedLogCall<Void> write = null;
        try {
            while (true) {
                Assigned done = written;
                long after = writing != null ? writing.batch() : done != null ? done.batch() : Long.MIN_VALUE;
                Assigned next;
                try {
                    // One transaction per batch: acknowledge the batch written before, assign the next, fold it.
                    next = Transactions.run(c, () -> {
                        lock();
                        if (done != null) {
                            acknowledge(done);
                        }
                        long batch = assign(upTo, after);
                        if (batch < 0) {
                            return null;
                        }
                        List<List<String>> updated = new ArrayList<>();
                        List<LogEntry> entries = read(batch, updated);
                        // Folding records what each update had seen of its columns; the batch carries it.
                        return new Assigned(batch, assignedUpTo, fold(entries, updated));
                    });
                } catch (SQLException | RuntimeException e) {
                    // The next batch cannot go (damage): what was written is still acknowledged.
                    Assigned alsoWritten = null;
                    if (write != null) {
                        try {
                            write.await();
                            alsoWritten = writing;
                        } catch (IOException | RuntimeException again) {
                            e.addSuppressed(again);
                        }
                        write = null;
                    }
                    acknowledgeAfterFailure(e, done, alsoWritten);
                    throw e;
                }
                written = null;
                if (write != null) {
                    write.await();
                    write = null;
                    written = new Assigned(writing.batch(), writing.upTo(), List.of()); // its entries are not needed any more
                    total += writing.entries().size();
                    if (progress != null) {
                        pushedSoFar += writing.entries().size();
                        progress.accept(new SyncProgress(SyncProgress.Phase.PUSH, device.id(), pushedSoFar,
                                Math.max(expected, pushedSoFar), ++batchesSoFar));
                    }
                    writing = null;
                }
                if (next != null) {
                    Assigned w = next;
                    writing = w;
                    write = OverlappedLogCall.start("batch-write", () -> {
                        write(w.batch(), w.entries());
                        return null;
                    });
                } else if (written == null) {
                    return total;
                }
                // else: the next transaction acknowledges the last batch written (and finds nothing more).
            }
        } finally {
            if (write != null) {
                write.settle(); // nothing of this push may still run when it returns; the batch stays assigned
            }
        }
    }

    /** After a failed transaction: acknowledges the batches already written, in one transaction of its own. */
    private void acknowledgeAfterFailure(Exception failure, Assigned done, Assigned alsoWritten) {
        if (done == null && alsoWritten == null) {
            return;
        }
        try {
            Transactions.run(c, () -> {
                lock();
                if (done != null) {
                    acknowledge(done);
                }
                if (alsoWritten != null) {
                    acknowledge(alsoWritten);
                }
                return null;
            });
        } catch (SQLException | RuntimeException again) {
            failure.addSuppressed(again);
        }
    }

    /** A batch assigned and folded, to be written: its number, the clock bound of its rows, its entries. */
    private record Assigned(long batch, long upTo, List<LogEntry> entries) { }

    /** Reports progress after every batch, counted over every {@link #pushAll} of this pusher. */
    void onProgress(Consumer<SyncProgress> listener) {
        this.progress = listener;
    }

    private long unpushed(long upTo) throws SQLException {
        return ChangeLogTable.countUpTo(c, upTo);
    }

    /** The newest clock value logged; 0 (below every clock value) when the log is empty. */
    private long newestLogged() throws SQLException {
        return ChangeLogTable.newestStamp(c);
    }

    /** Serialises pushers of this device, also across processes, until the transaction ends. */
    private void lock() throws SQLException {
        MetadataStore.lockDevice(c);
    }

    /**
     * The batch to push next: one assigned earlier and not acknowledged (above {@code after}, the
     * last one this push took), or a new one; -1 if none. Runs in the caller's transaction, after
     * {@link #lock()}.
     */
    private long assign(long upTo, long after) throws SQLException {
        java.util.OptionalLong pending = ChangeLogTable.firstAssignedBatch(c, after);
        if (pending.isPresent()) {
            assignedUpTo = Long.MAX_VALUE;
            return pending.getAsLong();
        }
        long last = -1;
        long count = 0;
        long bytes = 0;
        try (PreparedStatement ps = ChangeLogTable.prepareUnassignedSizes(c)) {
            ps.setLong(1, upTo);
            ps.setMaxRows(maxEntries);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // A packed row stands for several entries and goes whole into one batch.
                    int entries = PackedChanges.count(rs.getLong(1), rs.getString(3), rs.getBytes(4));
                    long size = rs.getLong(2) + 16L * entries;
                    if (count > 0 && (bytes + size > maxBytes || count + entries > maxEntries)) {
                        break;
                    }
                    last = rs.getLong(1);
                    count += entries;
                    bytes += size;
                }
            }
        }
        if (count == 0) {
            return -1L;
        }
        String next = MetadataStore.get(c, "next_batch");
        long batch = next == null ? 1 : parse(next);
        ChangeLogTable.assignBatch(c, batch, last);
        MetadataStore.put(c, device.dialect(), "next_batch", Long.toString(batch + 1));
        assignedUpTo = last;
        return batch;
    }

    private static long parse(String v) throws SQLException {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new SQLException("jdbc-sync metadata table _sync_state is damaged: next_batch = '" + v + "'", "XX001");
        }
        if (n < 1) {
            throw new SQLException("jdbc-sync metadata table _sync_state is damaged: next_batch = " + n
                    + ", but batch numbers start at 1. Restore the database from a backup", "XX001");
        }
        return n;
    }

    /** The batch's entries, checked; {@code updated} gets each entry's updated column names (null: not an update). */
    private List<LogEntry> read(long batch, List<List<String>> updated) throws SQLException {
        io.jdbcsync.internal.schema.Schema schema = device.schema(c);
        long now = System.currentTimeMillis();
        List<LogEntry> out = ChangeLogTable.batch(c, batch, assignedUpTo);
        for (LogEntry e : out) {
            // Checked before anything is published: other devices must never receive a damaged entry.
            updated.add(LogEntryCheck.check(e, schema, now));
        }
        return out;
    }

    private void write(long batch, List<LogEntry> entries) throws IOException {
        if (!session.ownSequenceChecked) {
            // A database restored from an old backup, or a copy, would reuse numbers whose batches
            // may be compacted away already; the newest batch of every device is always kept.
            List<Long> later = session.log.listBatches(device.id(), batch - 1, 1);
            if (!later.isEmpty() && later.get(0) > batch) {
                throw new BatchConflictException("the shared log already holds batch " + device.id() + "/" + later.get(0)
                        + " but this database is about to write batch " + batch + ": it was restored from an older copy,"
                        + " or another database uses the device id " + device.id() + ". Nothing was written.");
            }
            session.ownSequenceChecked = true;
        }
        byte[] bytes = session.codec.encode(new Batch(device.id(), batch, entries));
        try {
            session.log.putBatch(device.id(), batch, bytes);
        } catch (BatchConflictException e) {
            // Ours from an earlier attempt whose answer was lost (encrypted batches differ in bytes)?
            Batch existing = session.codec.decode(session.log.getBatch(device.id(), batch), device.id(), batch);
            if (!sameEntries(existing.entries(), entries)) {
                throw new BatchConflictException("batch " + device.id() + "/" + batch + " in the shared log holds other"
                        + " changes than this database's: two databases use the device id " + device.id()
                        + " (a copied database file?). Nothing was overwritten; sync stays stopped for this device.");
            }
        }
    }

    private static boolean sameEntries(List<LogEntry> a, List<LogEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            LogEntry x = a.get(i);
            LogEntry y = b.get(i);
            if (x.hlc() != y.hlc() || x.op() != y.op() || !x.table().equals(y.table())
                    || !Arrays.equals(x.key(), y.key()) || !Arrays.equals(x.data(), y.data())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Records the versions of the batch's entries before the batch goes out: damage in
     * {@code _sync_row} stops the push before anything is published, and the versions are read
     * once. Folding a change twice (after a crash before the acknowledgement) records the same.
     */
    private List<LogEntry> fold(List<LogEntry> entries, List<List<String>> updated) throws SQLException {
        integrator.begin();
        integrator.fold(entries, updated);
        List<LogEntry> withSeen = integrator.withSeen(entries);
        integrator.finish();
        return withSeen;
    }

    /** Removes the entries of a batch that was written (in the caller's transaction). */
    private void acknowledge(Assigned written) throws SQLException {
        ChangeLogTable.deleteBatch(c, written.batch(), written.upTo());
        MetadataStore.put(c, device.dialect(), "hlc", Long.toString(device.clock().last()));
    }
}
