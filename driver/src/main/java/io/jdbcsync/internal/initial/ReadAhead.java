package io.jdbcsync.internal.initial;

import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads the next chunks of a copy on its own thread while the caller writes the previous one, so
 * the source's reads (and a remote server's round trips) overlap the target's writes instead of
 * adding to them. At most {@code depth} chunks wait, so memory stays bounded by the chunk size.
 *
 * <p>While a read-ahead is open its thread is the only user of the source connection.
 */
final class ReadAhead<T> implements AutoCloseable {
    /** Produces the chunks in order. */
    interface Source<T> {
        /** The next chunk, or null after the last. */
        T next() throws SQLException;
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Throwable failure;
    private boolean ended;

    ReadAhead(String name, int depth, Source<T> source) {
        this.queue = new ArrayBlockingQueue<>(depth);
        this.thread = new Thread(() -> produce(source), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(Source<T> source) {
        try {
            while (!stopped) {
                T chunk = source.next();
                if (chunk == null || !offer(chunk)) {
                    break;
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            offer(END);
        }
    }

    /** Waits for room, giving up once the reader is closed. */
    private boolean offer(Object o) {
        try {
            while (!stopped) {
                if (queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            stopped = true;
        }
        return false;
    }

    /** The next chunk, or null after the last; a failure of the reading thread is thrown here. */
    @SuppressWarnings("unchecked")
    T next() throws SQLException {
        if (ended) {
            return null;
        }
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while reading ahead", "HY008", e);
        }
        if (o != END) {
            return (T) o;
        }
        ended = true;
        Throwable f = failure;
        if (f instanceof SQLException e) {
            throw e;
        }
        if (f instanceof RuntimeException e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        return null;
    }

    /** Stops reading and waits until the source connection is free again. */
    @Override
    public void close() {
        stopped = true;
        queue.clear();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
