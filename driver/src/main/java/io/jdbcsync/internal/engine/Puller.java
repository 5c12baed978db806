package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncProgress;
import io.jdbcsync.internal.capture.ChangeLogTable;
import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.device.MetadataStore;
import io.jdbcsync.internal.initial.SnapshotJoin;
import io.jdbcsync.internal.log.Batch;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.merge.Integrator;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fetches other devices' batches after this device's cursor for each, one batch at a time (memory
 * stays bounded whatever the backlog), and integrates each in one transaction together with the
 * cursor advance: a crash never applies a batch twice nor skips one.
 */
final class Puller {
    private static final int LIST_PAGE = 256;
    private static final int ATTEMPTS = 5;
    /**
     * Snapshot parts (of up to 5,000 entries) applied per transaction: a commit is a round trip and
     * a log flush on the server, and each transaction first folds the local changes. A load
     * stopped midway redoes at most this many parts.
     */
    static final int PARTS_PER_TRANSACTION = 8;
    /**
     * Entries of consecutive batches of one device integrated in one transaction (four batches of
     * the default size; a run stops at the first batch that reaches it): see {@link #integrateRun}.
     * Larger runs saved no more on SQLite, whose pages then no longer fit its cache.
     */
    static final int RUN_ENTRIES = 20_000;

    private final Device device;
    private final Connection c;
    private final LogSession session;
    private final Integrator integrator;
    /**
     * Clock values of the local log rows folded into the version metadata during this pull. A set,
     * not a watermark: on MariaDB a row's clock value is taken when its statement runs, so a
     * transaction can commit after one with a later value was folded already.
     */
    private final Set<Long> folded = new HashSet<>();

    /** What a pull did, and per-device problems that did not stop the other devices. */
    static final class Result {
        long pulled;
        Integrator.Outcome outcome = Integrator.Outcome.NONE;
        final Map<String, Exception> failures = new LinkedHashMap<>();
    }

    /** Told after every batch or snapshot part (null: nobody listens). */
    private Consumer<SyncProgress> progress;
    private long batchesSoFar;

    void onProgress(Consumer<SyncProgress> listener) {
        this.progress = listener;
    }

    private void tell(String remote, Result result) {
        if (progress != null) {
            progress.accept(new SyncProgress(SyncProgress.Phase.PULL, remote, result.pulled, -1, ++batchesSoFar));
        }
    }

    Puller(Device device, Connection c, LogSession session, Integrator integrator) {
        this.device = device;
        this.c = c;
        this.session = session;
        this.integrator = integrator;
    }

    Result pullAll() throws SQLException, IOException {
        Result result = new Result();
        for (String remote : session.log.listDevices()) {
            if (remote.equals(device.id())) {
                continue;
            }
            try {
                pullDevice(remote, result);
            } catch (IOException e) {
                result.failures.put(remote, e);
            }
        }
        Set<Long> now = new HashSet<>();
        result.outcome = result.outcome.plus(Transactions.run(c, () -> {
            integrator.begin();
            if (integrator.mayRetryOrSettle()) {
                // Parked changes and displaced rows are judged against this device's own writes too.
                foldNew(false, now);
            }
            Integrator.Outcome o = integrator.retryParked();
            o = o.plus(integrator.settle());
            if (o.applied() > 0) {
                o = o.plus(integrator.retryParked());
            }
            integrator.finish();
            return o;
        }));
        folded.addAll(now);
        integrator.committed();
        return result;
    }

    private void pullDevice(String remote, Result result) throws SQLException, IOException {
        long cursor = cursor(remote);
        // The first listing of a session starts one batch earlier: finding the cursor's own batch
        // (or later ones) there shows the cursor is not beyond what the device wrote, at no extra request.
        boolean verify = cursor > 0 && !session.cursorsChecked.contains(remote);
        while (true) {
            List<Long> sequences = session.log.listBatches(remote, verify ? cursor - 1 : cursor, LIST_PAGE);
            int listed = sequences.size();
            if (verify) {
                verify = false;
                if (sequences.isEmpty()) {
                    checkCursorExists(remote, cursor);
                    return;
                }
                session.cursorsChecked.add(remote);
                if (sequences.get(0) == cursor) {
                    sequences = sequences.subList(1, sequences.size());
                }
            }
            // The next batch is fetched and decoded while this one is integrated, when it follows it.
            BatchFeed feed = new BatchFeed(seq -> fetch(remote, seq), sequences);
            try {
                while (feed.hasNext()) {
                    long seq = feed.nextSequence();
                    if (seq != cursor + 1) {
                        cursor = fromSnapshot(remote, cursor, seq, result);
                        if (seq != cursor + 1) {
                            throw new IOException("batch " + remote + "/" + (cursor + 1) + " is missing from the shared"
                                    + " log (next present: " + seq + ") and no snapshot covers it; changes of " + remote
                                    + " stop here until it is restored");
                        }
                    }
                    cursor = integrateRun(remote, feed, result);
                }
            } finally {
                feed.settle(); // integrating failed: nothing of this pull may still run when it returns
            }
            if (listed < LIST_PAGE) {
                return; // a short page was the end; batches written since wait for the next sync
            }
        }
    }

    private Batch fetch(String remote, long seq) throws IOException {
        return session.codec.decode(session.log.getBatch(remote, seq), remote, seq);
    }

    /**
     * Batches this device still needs were compacted away: applies the newest snapshot (several
     * parts per transaction, see {@link #PARTS_PER_TRANSACTION}; applying twice changes nothing;
     * plain rows of tables this device holds nothing of go in bulk, see {@link SnapshotJoin}), then
     * moves every cursor up to the snapshot's cuts, in the transaction of the last parts. Returns
     * the new cursor of {@code remote}.
     */
    private long fromSnapshot(String remote, long cursor, long nextPresent, Result result) throws SQLException, IOException {
        java.util.Optional<io.jdbcsync.internal.compact.Manifest> latest =
                io.jdbcsync.internal.compact.Manifest.latest(session.log, session.cipher);
        if (latest.isEmpty() || latest.get().cut(remote) < nextPresent - 1) {
            return cursor;
        }
        io.jdbcsync.internal.compact.Manifest m = latest.get();
        try (SnapshotJoin join = SnapshotJoin.start(c, device, m.number())) {
            integrator.retryAllParked(); // rows loaded in bulk may be what parked updates wait for
            int[] part = {0};
            int[] open = {0}; // parts applied in the open transaction
            c.setAutoCommit(false);
            try {
                join.read(new io.jdbcsync.internal.compact.Compactor(session.log, session.codec, session.cipher), m, p -> {
                    int index = part[0]++;
                    List<LogEntry> entries = p.entries();
                    if (!join.done(index)) {
                        if (open[0] == 0) {
                            integrator.begin();
                            integrator.fold(localSince(Long.MIN_VALUE));
                            integrator.finish(); // folded versions are in _sync_row before the bulk insert checks it
                        }
                        List<LogEntry> rest = join.load(p, index);
                        integrator.begin();
                        Integrator.Outcome o = integrator.integrate(p.device(), rest);
                        integrator.finish();
                        result.outcome = result.outcome.plus(
                                o.plus(new Integrator.Outcome(entries.size() - rest.size(), 0, 0, 0, join.partTables())));
                        if (++open[0] == PARTS_PER_TRANSACTION) {
                            join.checkpoint(index + 1);
                            c.commit();
                            open[0] = 0;
                        }
                    }
                    result.pulled += entries.size();
                    tell(p.device(), result);
                });
                for (java.util.Map.Entry<String, Long> cut : m.cuts().entrySet()) {
                    if (!cut.getKey().equals(device.id()) && cursor(cut.getKey()) < cut.getValue()) {
                        setCursor(cut.getKey(), cut.getValue(), 0);
                    }
                }
                join.finish();
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                Transactions.rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return Math.max(cursor, m.cut(remote));
    }

    private void setCursor(String remote, long seq, long hlc) throws SQLException {
        MetadataStore.putCursors(c, device.dialect(), Map.of(remote, new long[] {seq, hlc}));
    }

    /**
     * No batch at or after the cursor: unless the device was retired (its batches compacted away)
     * or its progress shows it wrote that far, the cursor was moved by hand (or restored from
     * another database) beyond the newest batch, and the batches it skips would never be applied.
     */
    private void checkCursorExists(String remote, long cursor) throws IOException {
        session.cursorsChecked.add(remote);
        if (session.log.getObject(io.jdbcsync.internal.compact.Compactor.retiredName(remote)).isPresent()) {
            return;
        }
        long pushed = io.jdbcsync.internal.compact.Progress.read(session.log, remote).map(io.jdbcsync.internal.compact.Progress::pushed).orElse(0L);
        if (cursor > pushed) {
            session.cursorsChecked.remove(remote);
            throw new IOException("this database's cursor says batch " + cursor + " of device " + remote + " was applied,"
                    + " but that device has written only up to batch " + pushed + ": _sync_cursor is damaged (edited by hand"
                    + " or copied from another database). Restore the database from a backup");
        }
    }

    private long cursor(String remote) throws SQLException {
        return MetadataStore.cursor(c, remote);
    }

    private List<LogEntry> localSince(long after) throws SQLException {
        return ChangeLogTable.changesAfter(c, after);
    }

    /**
     * Folds the local log rows not folded yet (neither in {@link #folded} nor in {@code now}) and
     * adds them to {@code now}. With {@code current}, reads with locks (MariaDB), so transactions
     * that are committing are waited for and seen. Run at the start of every transaction that
     * decides remote changes (and only there: a sync with nothing to pull folds nothing, the push
     * folds what it sends).
     */
    private void foldNew(boolean current, Set<Long> now) throws SQLException {
        String suffix = current ? device.dialect().currentReadSuffix() : "";
        Set<Long> fresh = new HashSet<>();
        long min = Long.MAX_VALUE;
        for (long hlc : ChangeLogTable.stamps(c, suffix)) {
            if (!folded.contains(hlc) && !now.contains(hlc)) {
                fresh.add(hlc);
                min = Math.min(min, hlc);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        List<LogEntry> local = ChangeLogTable.changesOf(c, min, fresh, suffix);
        for (LogEntry e : local) {
            if (integrator.wrote(e.table(), e.key())) {
                throw new LocalRace();
            }
        }
        integrator.fold(local);
        // The log rows read (a packed row is known by its own clock value, not its entries').
        now.addAll(fresh);
    }

    /** A local change committed while a batch was being applied touched the same row: apply again. */
    private static final class LocalRace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LocalRace() {
            super("local change during integration", null, false, false);
        }
    }

    /**
     * Integrates a run of consecutive batches of one device in one transaction with the cursor
     * advance to the last of them (the first batch, then those that follow it while the run holds
     * fewer than {@link #RUN_ENTRIES} entries): a commit costs a log write on SQLite and a round trip
     * and a log flush on MariaDB, and each transaction folds the local changes first. A crash
     * redoes at most one run. A batch that fails is integrated on its own again (the batches before
     * it commit first) and one that cannot be read ends the run (it is read again as the first of
     * the next), so a failure stops a device where it stopped it batch by batch. Returns the new
     * cursor.
     */
    private long integrateRun(String remote, BatchFeed feed, Result result) throws SQLException, IOException {
        List<Batch> run = new ArrayList<>();
        run.add(feed.take());
        int[] most = {Integer.MAX_VALUE}; // batches the run may hold: fewer after a failure
        int[] at = {0}; // the batch being integrated; run.size() once all are
        for (int attempt = 1; ; attempt++) {
            Set<Long> now = new HashSet<>();
            try {
                Integrator.Outcome outcome = Transactions.run(c, () -> {
                    at[0] = 0;
                    integrator.begin();
                    foldNew(false, now);
                    Integrator.Outcome o = Integrator.Outcome.NONE;
                    long entries = 0;
                    for (int i = 0; ; i++) {
                        if (i == run.size()) {
                            if (i >= most[0] || entries >= RUN_ENTRIES || !feed.follows()) {
                                break;
                            }
                            try {
                                run.add(feed.take());
                            } catch (IOException e) {
                                break; // the run ends before it; the next one reads it again, or stops there
                            }
                        }
                        if (i > 0) {
                            integrator.nextBatch(); // a failure here is the batch before's
                        }
                        at[0] = i;
                        List<LogEntry> batch = run.get(i).entries();
                        o = o.plus(integrator.integrate(remote, batch));
                        entries += batch.size();
                    }
                    at[0] = run.size();
                    // Local changes that committed meanwhile: fold them too, and start over if one
                    // of them touched a row this run wrote (it is newer and must win).
                    foldNew(true, now);
                    integrator.finish();
                    long maxHlc = 0;
                    for (LogEntry e : run.get(run.size() - 1).entries()) {
                        maxHlc = Math.max(maxHlc, e.hlc());
                    }
                    setCursor(remote, run.get(run.size() - 1).sequence(), maxHlc);
                    return o;
                });
                folded.addAll(now);
                result.outcome = result.outcome.plus(outcome);
                for (Batch b : run) {
                    result.pulled += b.entries().size();
                    tell(remote, result);
                }
                return run.get(run.size() - 1).sequence();
            } catch (LocalRace race) {
                if (attempt >= ATTEMPTS) {
                    throw new SQLException("local writes kept racing with the integration of batch " + remote + "/"
                            + run.get(0).sequence() + "; will retry at the next sync", "40001");
                }
            } catch (SQLException | RuntimeException e) {
                if (run.size() == 1 || at[0] == 0) {
                    throw e; // the first batch failed: as batch by batch
                }
                // Rolled back: the batches before the failing one (the first alone, when the failure
                // came after them all) go again on their own; the others come back after them.
                int keep = at[0] < run.size() ? at[0] : 1;
                List<Batch> rest = new ArrayList<>(run.subList(keep, run.size()));
                run.subList(keep, run.size()).clear();
                feed.putBack(rest);
                most[0] = keep;
            }
        }
    }
}
