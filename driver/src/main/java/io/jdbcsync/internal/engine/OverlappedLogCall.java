package io.jdbcsync.internal.engine;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A call to the shared log run on a thread of its own, so that it overlaps the caller's local
 * transaction: the push writes batch n (encoding, compression, the file and its fsyncs, or the
 * upload) while it assigns and folds batch n + 1; the pull fetches and decodes batch n + 1 while it
 * integrates batch n. The caller waits for the result before it goes on with that batch, and never
 * touches the shared log while a call runs: the log is used by one thread at a time.
 */
final class OverlappedLogCall<T> {
    interface Call<T> {
        T run() throws IOException;
    }

    private final FutureTask<T> done;

    private OverlappedLogCall(FutureTask<T> done) {
        this.done = done;
    }

    /** Starts the call on a thread of its own, which ends with it (a batch's work dwarfs starting a thread). */
    static <T> OverlappedLogCall<T> start(String name, Call<T> call) {
        FutureTask<T> task = new FutureTask<>(call::run);
        Thread t = new Thread(task, "jdbc-sync-" + name);
        t.setDaemon(true);
        t.start();
        return new OverlappedLogCall<>(task);
    }

    /**
     * Waits until the call ended; returns its result or throws its failure. Not cut short by an
     * interrupt (kept for the caller): whatever follows, acknowledging a batch, integrating it or
     * giving up, needs the call ended.
     */
    T await() throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IOException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the call ended, ignoring its outcome: for a caller that is failing already. */
    void settle() {
        try {
            await();
        } catch (IOException | RuntimeException ignored) {
            // The caller's own failure is the one to report.
        }
    }
}
