package io.jdbcsync.initial;

import io.jdbcsync.internal.initial.CloneRun;
import io.jdbcsync.internal.jdbc.SyncConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.CancellationException;

/**
 * Makes one database a copy of another device's synced tables and a member of the group at the
 * source's position: bulk reads of the source in one consistent snapshot (with its version
 * metadata and cursors read in the same snapshot), batched writes into the target with foreign-key
 * checks off, a checkpoint per table and key range committed with each chunk (so a killed clone run
 * again continues where it stopped, every row exactly once), and the source's cursors taken over at
 * the end, so the target neither receives again what it copied nor misses what came later.
 *
 * <pre>{@code
 * Clone.Result r = Clone.from("jdbc:sync:mariadb://db/app?user=u&sync.log=/shared")
 *         .to("jdbc:sync:sqlite:/data/app.db?sync.log=/shared")
 *         .listener(p -> System.out.println(p.table() + " " + p.tableRows()))
 *         .run();
 * }</pre>
 *
 * Rows the target holds already are merged by the usual conflict rules (the source's rows are
 * applied with their recorded versions). {@link #pause()}, {@link #resume()} and {@link #cancel()}
 * may be called from another thread; a cancelled clone keeps what it copied and continues from
 * there when run again.
 */
public final class Clone {
    /** What a clone did. */
    public record Result(String sourceDevice, String targetDevice, long rowsCopied, long rowsMerged, boolean alreadyDone) {
    }

    /** Told after every chunk. */
    public interface Listener {
        void progress(CloneProgress progress);
    }

    private final String from;
    private final String to;
    private final Properties properties;
    private final int chunkRows;
    private final boolean createSchema;
    private final Listener listener;
    private final Object pauseLock = new Object();
    private volatile boolean paused;
    private volatile boolean cancelled;

    private Clone(Builder b) {
        this.from = b.from;
        this.to = b.to;
        this.properties = b.properties;
        this.chunkRows = b.chunkRows;
        this.createSchema = b.createSchema;
        this.listener = b.listener;
    }

    public static Builder from(String sourceUrl) {
        return new Builder(sourceUrl);
    }

    /** Configures a clone. */
    public static final class Builder {
        private final String from;
        private String to;
        private Properties properties = new Properties();
        private int chunkRows = 5000;
        private boolean createSchema;
        private Listener listener;

        private Builder(String from) {
            this.from = from;
        }

        /** The database that becomes the copy (a {@code jdbc:sync:} URL). */
        public Builder to(String targetUrl) {
            this.to = targetUrl;
            return this;
        }

        /** Connection properties for both URLs. */
        public Builder properties(Properties p) {
            this.properties = p;
            return this;
        }

        /** Rows per chunk: one target transaction and checkpoint each (default 5000). */
        public Builder chunkRows(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("chunk rows must be at least 1");
            }
            this.chunkRows = rows;
            return this;
        }

        /**
         * Creates the synced tables the target lacks from the source's schema (same kind of
         * database: the source's own DDL; SQLite and MariaDB: types mapped as docs/ARCHITECTURE.md
         * says), with keys, unique constraints, indexes and foreign keys. Off by default: the
         * target's schema is normally the app's migrations'.
         */
        public Builder createSchema(boolean create) {
            this.createSchema = create;
            return this;
        }

        public Builder listener(Listener l) {
            this.listener = l;
            return this;
        }

        public Clone build() {
            if (to == null) {
                throw new IllegalStateException("the target URL is missing: Clone.from(source).to(target)");
            }
            return new Clone(this);
        }

        /** Builds and runs the clone. */
        public Result run() throws SQLException {
            return build().run();
        }
    }

    /** Stops after the current chunk until {@link #resume()}. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    /** Stops after the current chunk: {@link #run()} throws {@link CancellationException}; what was copied stays. */
    public void cancel() {
        cancelled = true;
        resume();
    }

    private void checkpointReached() {
        synchronized (pauseLock) {
            while (paused && !cancelled) {
                try {
                    pauseLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelled = true;
                }
            }
        }
        if (cancelled) {
            throw new CancellationException("clone cancelled; run it again to continue where it stopped");
        }
    }

    /** Copies, or continues an interrupted copy; returns what it did. */
    public Result run() throws SQLException {
        try (Connection src = open(from, "source"); Connection dst = open(to, "target")) {
            SyncConnection s = src.unwrap(SyncConnection.class);
            SyncConnection t = dst.unwrap(SyncConnection.class);
            return new CloneRun(s.device(), s.raw(), t.device(), t.raw(), chunkRows, createSchema, listener,
                    this::checkpointReached).copy();
        }
    }

    private Connection open(String url, String role) throws SQLException {
        if (url == null || !url.startsWith("jdbc:sync:")) {
            throw new SQLException("the clone " + role + " must be a jdbc:sync: URL, not " + url, "08001");
        }
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new SQLException("cannot open the clone " + role + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }
}
