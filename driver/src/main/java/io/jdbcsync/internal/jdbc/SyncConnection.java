package io.jdbcsync.internal.jdbc;

import io.jdbcsync.SyncOptions;
import io.jdbcsync.internal.capture.AppTransaction;
import io.jdbcsync.internal.capture.Binding;
import io.jdbcsync.internal.capture.StatementSource;
import io.jdbcsync.internal.capture.WriteCapture;
import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.engine.ConnectionEvents;
import io.jdbcsync.internal.sql.Analysis;
import io.jdbcsync.internal.sql.StatementKind;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The app's connection: every statement it creates goes through the capture; everything else is
 * the underlying driver's ({@link ForwardingConnection}).
 */
public final class SyncConnection extends ForwardingConnection {
    private final Device device;
    private final String url;
    private final SyncOptions options;
    private final WriteCapture capture;
    private final ConnectionEvents listener;
    private final AppTransaction transaction;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private final SeveralStatements several;
    private boolean changedInTransaction;
    /** Count of the app's last INSERT/UPDATE/DELETE, as the underlying driver would carry it over. */
    private long lastAppCount;
    /** True while the underlying connection's last row change was the app's own (not a log write). */
    private boolean rawCountIsApps;
    /** True when the driver's tables were created inside the app's open transaction. */
    private boolean setUpInTransaction;

    public SyncConnection(Connection raw, Device device, String url, SyncOptions options, ConnectionEvents listener,
                          SeveralStatements several) {
        super(raw);
        this.device = device;
        this.url = url;
        this.options = options;
        this.listener = listener;
        this.several = several;
        this.capture = new WriteCapture(raw, device, options.config().passUncapturable(), several.forCapture());
        this.transaction = new AppTransaction(capture, device.dialect().savepointBeginsTransaction());
    }

    public Connection raw() {
        return raw;
    }

    public Device device() {
        return device;
    }

    String url() {
        return url;
    }

    Analysis analyze(String sql) throws SQLException {
        if (sql == null) {
            throw new SQLException("the SQL text is null", "42000");
        }
        Analysis a = device.analyzer().analyze(sql);
        if (a.several() && several.refuses() && a.kind() != StatementKind.WRITE) {
            throw severalStatements(); // writes: the capture refuses them first when they name a synced table
        }
        if (a.kind() == StatementKind.OTHER && io.jdbcsync.internal.sql.SqlAnalyzer.isEmptyText(sql)) {
            // SQLite's driver fails on such a text with an IllegalStateException and damages the connection.
            throw new SQLException("the SQL text is empty: it holds no statement", "42000");
        }
        return a;
    }

    /** The driver turned several statements per text on for its own use, not the app's. */
    private static SQLException severalStatements() {
        return new SQLSyntaxErrorException("the SQL text holds several statements (or may, read without backslash"
                + " escapes); the underlying driver takes them only with allowMultiQueries=true on the URL", "42000", 1064);
    }

    /** Runs a write through the capture; null when it must be sent unchanged. */
    WriteCapture.Result capture(Analysis analysis, List<Binding[]> sets, StatementSource source) throws SQLException {
        boolean inTransaction = inTransaction();
        boolean wasSetUp = device.isSetUp();
        WriteCapture.Result r;
        try {
            r = capture.execute(analysis, sets, source, inTransaction);
            if (r == null && analysis.several() && several.refuses()) {
                throw severalStatements();
            }
        } finally {
            setUpInTransaction |= inTransaction && !wasSetUp && device.isSetUp();
        }
        if (r != null) {
            long[] counts = r.counts();
            lastAppCount = counts.length == 0 ? 0 : Math.max(0, counts[counts.length - 1]);
            rawCountIsApps = false;
            if (inTransaction) {
                changedInTransaction = true;
            } else {
                listener.committed();
            }
        }
        return r;
    }

    /** True while the app has a transaction open on this connection (autocommit off, BEGIN or SAVEPOINT as SQL). */
    public boolean inTransaction() throws SQLException {
        return transaction.openAsText() || !raw.getAutoCommit();
    }

    /** Refuses at prepare time a write to a synced table that could not be captured. */
    void checkPrepared(Analysis analysis) throws SQLException {
        if (analysis.kind() == StatementKind.WRITE) {
            capture.check(analysis);
        }
    }

    /**
     * True when an update count the underlying driver reports for a statement of this kind would
     * be that of the driver's own last log write: the count to report instead is {@link #lastAppCount()}.
     */
    boolean replacesCarriedCount(Analysis analysis) {
        StatementKind k = analysis.kind();
        return !rawCountIsApps && device.dialect().countCarriesOver()
                && (k == StatementKind.DDL || k == StatementKind.TRANSACTION || k == StatementKind.OTHER);
    }

    long lastAppCount() {
        return lastAppCount;
    }

    /** True when the dialect binds NULL to a {@code ?} left unbound. */
    boolean unboundParameterIsNull() {
        return device.dialect().unboundParameterIsNull();
    }

    /** Bookkeeping before a statement the driver sends unchanged. */
    void beforeExecute(Analysis analysis) throws SQLException {
        if (analysis.kind() == StatementKind.TRANSACTION && transaction.mustNotCommit(analysis.sql())) {
            raw.rollback();
            transaction.ended();
            endTransaction(false);
            throw AppTransaction.rolledBack();
        }
    }

    /** Bookkeeping after a statement the driver sent unchanged. */
    void afterExecute(Analysis analysis) throws SQLException {
        if (analysis.kind() == StatementKind.WRITE) {
            rawCountIsApps = true;
        } else if (analysis.kind() == StatementKind.DDL) {
            device.schemaChanged();
            setUpAfterDdl();
        } else if (analysis.kind() == StatementKind.TRANSACTION) {
            AppTransaction.End end = transaction.ran(analysis.sql(), raw.getAutoCommit());
            if (end != AppTransaction.End.NONE) {
                endTransaction(end == AppTransaction.End.COMMITTED);
            }
        }
    }

    /** Answers a control statement; {@code bound} is its bound parameter, if the text has one. */
    ResultSet control(Analysis analysis, Statement owner, String bound) throws SQLException {
        return ControlResults.of(owner, listener.control(analysis.controlCall(bound), raw, inTransaction()));
    }

    /**
     * The first DDL of a new device (its migrations starting) creates the driver's tables, in the
     * same transaction where DDL is transactional: from then on the schema is not empty anyway.
     */
    private void setUpAfterDdl() throws SQLException {
        if (device.isSetUp() || device.withoutMetadata() != null) {
            return;
        }
        boolean inTransaction = inTransaction();
        try {
            device.ensureSetUp(raw);
        } catch (SQLException e) {
            if (device.dialect().refusesWrites(raw, e)) {
                return; // a write will say so, as the database does
            }
            throw e;
        }
        setUpInTransaction |= inTransaction;
    }

    ResultSet control(Analysis analysis, Statement owner) throws SQLException {
        if (analysis.parameterCount() > 0) {
            throw new SQLException("CALL " + analysis.control() + "(?) needs a PreparedStatement to bind its argument", "07001");
        }
        return control(analysis, owner, null);
    }

    private void endTransaction(boolean committed) {
        capture.transactionEnded();
        if (setUpInTransaction && !committed) {
            device.setUpUndone();
        }
        setUpInTransaction = false;
        if (committed && changedInTransaction) {
            listener.committed();
        }
        changedInTransaction = false;
    }

    // ---- statements ----------------------------------------------------------------------------

    @Override
    public Statement createStatement() throws SQLException {
        return new SyncStatement(this, raw.createStatement());
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        return new SyncStatement(this, raw.createStatement(type, concurrency));
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        return new SyncStatement(this, raw.createStatement(type, concurrency, holdability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return SyncPreparedStatement.open(this, sql, s -> raw.prepareStatement(s));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return SyncPreparedStatement.open(this, sql, s -> raw.prepareStatement(s, autoGeneratedKeys));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return SyncPreparedStatement.open(this, sql, s -> raw.prepareStatement(s, columnIndexes));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return SyncPreparedStatement.open(this, sql, s -> raw.prepareStatement(s, columnNames));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return SyncPreparedStatement.open(this, sql, s -> raw.prepareStatement(s, type, concurrency));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability) throws SQLException {
        return SyncPreparedStatement.open(this, sql, s -> raw.prepareStatement(s, type, concurrency, holdability));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return SyncCallableStatement.openCall(this, sql, s -> raw.prepareCall(s));
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return SyncCallableStatement.openCall(this, sql, s -> raw.prepareCall(s, type, concurrency));
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        return SyncCallableStatement.openCall(this, sql, s -> raw.prepareCall(s, type, concurrency, holdability));
    }

    // ---- transactions --------------------------------------------------------------------------

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        boolean was = raw.getAutoCommit();
        if (autoCommit && !was && transaction.mustNotCommit()) {
            raw.rollback();
            raw.setAutoCommit(true);
            endTransaction(false);
            throw AppTransaction.rolledBack();
        }
        raw.setAutoCommit(autoCommit);
        if (autoCommit && !was) {
            endTransaction(true);
        }
    }

    @Override
    public void commit() throws SQLException {
        if (transaction.mustNotCommit()) {
            raw.rollback();
            endTransaction(false);
            throw AppTransaction.rolledBack();
        }
        raw.commit();
        transaction.ended();
        endTransaction(true);
    }

    @Override
    public void rollback() throws SQLException {
        raw.rollback();
        transaction.ended();
        endTransaction(false);
    }

    // ---- identity ----------------------------------------------------------------------------

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new SyncDatabaseMetaData(this, raw.getMetaData());
    }

    @Override
    public void close() throws SQLException {
        // Once only, but always: the raw connection may have been closed under us (a server-side
        // KILL, a network failure), and the engine still counts this connection.
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            capture.close();
        } finally {
            try {
                raw.close();
            } finally {
                listener.closed();
            }
        }
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort needs an executor", "HY009");
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            raw.abort(executor);
        } finally {
            listener.closed();
        }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        T ours = listener.unwrap(iface);
        return ours != null ? ours : Unwrapping.unwrap(this, raw, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return listener.unwrap(iface) != null || Unwrapping.isWrapperFor(this, raw, iface);
    }

    // ---- everything else is the underlying connection's ---------------------------------------

    @Override
    public boolean isClosed() throws SQLException {
        return closed.get() || raw.isClosed();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
        raw.setTypeMap(a0);
    }

}
