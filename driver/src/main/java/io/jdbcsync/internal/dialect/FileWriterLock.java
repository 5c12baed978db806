package io.jdbcsync.internal.dialect;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;

/** A writer number of a database file: a byte-range lock on a file next to it. */
final class FileWriterLock implements WriterLock {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FileWriterLock.class);
    private final FileChannel channel;
    private final FileLock lock;
    private final int writer;

    private FileWriterLock(FileChannel channel, FileLock lock, int writer) {
        this.channel = channel;
        this.lock = lock;
        this.writer = writer;
    }

    static WriterLock acquire(Path database) throws SQLException {
        Path file = database.resolveSibling(database.getFileName() + "-syncwriters");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            for (int w = 0; w < MAX_WRITERS; w++) {
                FileLock lock;
                try {
                    lock = channel.tryLock(w, 1, false);
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by another open of this database in this process
                }
                if (lock != null) {
                    return new FileWriterLock(channel, lock, w);
                }
            }
        } catch (IOException e) {
            closeQuietly(channel);
            // A folder the process may not write to (a read-only copy): the database cannot be written
            // through it either, unless the file itself is writable, which the warning points at.
            LOG.warn("cannot take a jdbc-sync writer number through {} ({}); this process writes as writer 0, so"
                    + " another process writing the same database at once could issue the same keys", file, e.toString());
            return new FileWriterLock(null, null, 0);
        }
        closeQuietly(channel);
        throw WriterLock.allTaken(database.toString());
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing held
        }
    }

    @Override
    public int writer() {
        return writer;
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
    }
}
