package io.jdbcsync.internal.engine;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The write of one batch to the shared log (encoding, compression, the upload or the file and its
 * fsync), run on a thread of its own so that it overlaps the local transaction of the next batch
 * (assigning, reading, checking and folding it). The pusher waits for it before acknowledging the
 * batch, and has at most one write running: the shared log is used by one thread at a time.
 */
final class BatchWrite {
    interface Work {
        void run() throws IOException;
    }

    private final FutureTask<Void> done;

    private BatchWrite(FutureTask<Void> done) {
        this.done = done;
    }

    /** Starts the write on a thread of its own, which ends with it (a batch's work dwarfs starting a thread). */
    static BatchWrite start(Work work) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            work.run();
            return null;
        });
        Thread t = new Thread(task, "jdbc-sync-batch-write");
        t.setDaemon(true);
        t.start();
        return new BatchWrite(task);
    }

    /**
     * Waits until the write ended and throws its failure. Not cut short by an interrupt (kept for
     * the caller): whatever follows, acknowledging the batch or giving up, needs the write ended.
     */
    void await() throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
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
}
