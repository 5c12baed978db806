package io.jdbcsync.internal.engine;

import io.jdbcsync.internal.log.Batch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The batches of one device's listing page, in order: each fetched and decoded on a thread of its
 * own ({@link OverlappedLogCall}) while the one before it is integrated, when its number follows.
 * Batches taken and not integrated after all can be put back; they come again first.
 */
final class BatchFeed {
    interface Fetch {
        Batch fetch(long sequence) throws IOException;
    }

    private final Fetch fetch;
    private final List<Long> sequences;
    /** Index in {@link #sequences} of the next batch to fetch or await. */
    private int next;
    private OverlappedLogCall<Batch> ahead;
    private final Deque<Batch> back = new ArrayDeque<>();

    BatchFeed(Fetch fetch, List<Long> sequences) {
        this.fetch = fetch;
        this.sequences = sequences;
    }

    boolean hasNext() {
        return !back.isEmpty() || next < sequences.size();
    }

    /** The sequence number of the batch {@link #take()} gives next. */
    long nextSequence() {
        return back.isEmpty() ? sequences.get(next) : back.peekFirst().sequence();
    }

    /** True when the next batch directly follows the one taken last (it is put back, or read already). */
    boolean follows() {
        return !back.isEmpty() || ahead != null;
    }

    /** The next batch: put back, read ahead, or read now; starts reading the one after it when it follows. */
    Batch take() throws IOException {
        if (!back.isEmpty()) {
            return back.removeFirst();
        }
        long seq = sequences.get(next);
        Batch batch;
        if (ahead != null) {
            OverlappedLogCall<Batch> call = ahead;
            ahead = null;
            batch = call.await();
        } else {
            batch = fetch.fetch(seq);
        }
        next++;
        if (next < sequences.size() && sequences.get(next) == seq + 1) {
            ahead = OverlappedLogCall.start("batch-read", () -> fetch.fetch(seq + 1));
        }
        return batch;
    }

    /** Batches taken (in order) that were not integrated: {@link #take()} gives them again, first. */
    void putBack(List<Batch> batches) {
        for (int i = batches.size() - 1; i >= 0; i--) {
            back.addFirst(batches.get(i));
        }
    }

    /** Waits for a read still running, ignoring its outcome: nothing of the pull may run after it returns. */
    void settle() {
        if (ahead != null) {
            ahead.settle();
            ahead = null;
        }
    }
}
