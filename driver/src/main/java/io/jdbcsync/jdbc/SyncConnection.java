package io.jdbcsync.jdbc;

import io.jdbcsync.SyncOptions;
import io.jdbcsync.capture.Binding;
import io.jdbcsync.capture.StatementSource;
import io.jdbcsync.capture.WriteCapture;
import io.jdbcsync.device.Device;
import io.jdbcsync.sql.Analysis;
import io.jdbcsync.sql.TransactionText;
import io.jdbcsync.sql.StatementKind;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The app's connection: every statement it creates goes through the capture; everything else is
 * the underlying driver's.
 */
public final class SyncConnection implements Connection {
    private final Connection raw;
    private final Device device;
    private final String url;
    private final SyncOptions options;
    private final WriteCapture capture;
    private final ConnectionListener listener;
    private boolean textTransaction;
    /**
     * Savepoints open in a transaction that a {@code SAVEPOINT} statement began (SQLite), innermost
     * first; releasing the outermost commits. Null when the transaction began otherwise.
     */
    private java.util.Deque<String> savepointTransaction;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** What the sync engine wants to hear from a connection. */
    public interface ConnectionListener {
        /** A transaction that held captured changes committed. */
        void committed();

        /** The connection closed. */
        void closed();

        /**
         * Answers {@code CALL sync_...()} statements the capture layer does not handle itself;
         * {@code argument} is the procedure's one argument (literal or bound), null when none.
         */
        ResultSet control(String procedure, String argument, SyncConnection connection, Statement owner) throws SQLException;

        /** The app asked for something through {@link Connection#unwrap}; null if it is not ours. */
        <T> T unwrap(Class<T> iface);
    }

    private final SeveralStatements several;
    private boolean changedInTransaction;
    /** Count of the app's last INSERT/UPDATE/DELETE, as the underlying driver would carry it over. */
    private long lastAppCount;
    /** True while the underlying connection's last row change was the app's own (not a log write). */
    private boolean rawCountIsApps;
    /** True when the driver's tables were created inside the app's open transaction. */
    private boolean setUpInTransaction;

    public SyncConnection(Connection raw, Device device, String url, SyncOptions options, ConnectionListener listener,
                          SeveralStatements several) {
        this.raw = raw;
        this.device = device;
        this.url = url;
        this.options = options;
        this.listener = listener;
        this.several = several;
        this.capture = new WriteCapture(raw, device, "pass".equalsIgnoreCase(options.get("sync.on-uncapturable")),
                several.forCapture());
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
        if (a.kind() == StatementKind.OTHER && io.jdbcsync.sql.SqlAnalyzer.isEmptyText(sql)) {
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
        boolean inTransaction = textTransaction || !raw.getAutoCommit();
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
        return textTransaction || !raw.getAutoCommit();
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
        if (analysis.kind() == StatementKind.TRANSACTION && capture.failedInTransaction()
                && (TransactionText.endsTransactionWithCommit(analysis.sql()) || releasesOutermost(analysis.sql()))) {
            raw.rollback();
            textTransaction = false;
            savepointTransaction = null;
            endTransaction(false);
            throw poisoned();
        }
    }

    private boolean releasesOutermost(String sql) {
        String released = TransactionText.savepointReleased(sql);
        return released != null && savepointTransaction != null
                && savepointTransaction.getLast().equalsIgnoreCase(released);
    }

    /** Bookkeeping after a statement the driver sent unchanged. */
    void afterExecute(Analysis analysis) throws SQLException {
        if (analysis.kind() == StatementKind.WRITE) {
            rawCountIsApps = true;
        } else if (analysis.kind() == StatementKind.DDL) {
            device.schemaChanged();
            setUpAfterDdl();
        } else if (analysis.kind() == StatementKind.TRANSACTION) {
            String sql = analysis.sql();
            String opened = TransactionText.savepointOpened(sql);
            String released = TransactionText.savepointReleased(sql);
            if (TransactionText.beginsTransaction(sql)) {
                textTransaction = true;
            } else if (opened != null) {
                if (savepointTransaction != null) {
                    savepointTransaction.push(opened);
                } else if (!textTransaction && device.dialect().savepointBeginsTransaction() && raw.getAutoCommit()) {
                    // SQLite: a SAVEPOINT outside a transaction begins one, and releasing it commits.
                    textTransaction = true;
                    savepointTransaction = new java.util.ArrayDeque<>();
                    savepointTransaction.push(opened);
                }
            } else if (released != null) {
                if (savepointTransaction != null) {
                    // RELEASE removes the innermost savepoint of that name and every one inside it.
                    while (!savepointTransaction.isEmpty() && !savepointTransaction.pop().equalsIgnoreCase(released)) {
                        // popped a savepoint nested inside the released one
                    }
                    if (savepointTransaction.isEmpty()) {
                        textTransaction = false;
                        savepointTransaction = null;
                        endTransaction(true);
                    }
                }
            } else if (TransactionText.endsTransaction(sql)) {
                textTransaction = false;
                savepointTransaction = null;
                endTransaction(TransactionText.endsTransactionWithCommit(sql));
            }
        }
    }

    /** Answers a control statement; {@code bound} is its bound parameter, if the text has one. */
    ResultSet control(Analysis analysis, Statement owner, String bound) throws SQLException {
        String argument = analysis.control().equals(io.jdbcsync.sql.SqlAnalyzer.NEXT_VALUE)
                ? io.jdbcsync.sql.SqlAnalyzer.sequenceOf(analysis.sql())
                : analysis.parameterCount() > 0 ? bound : ControlArgument.literal(analysis.sql());
        return listener.control(analysis.control(), argument, this, owner);
    }

    /**
     * The first DDL of a new device (its migrations starting) creates the driver's tables, in the
     * same transaction where DDL is transactional: from then on the schema is not empty anyway.
     */
    private void setUpAfterDdl() throws SQLException {
        if (device.isSetUp() || device.withoutMetadata() != null) {
            return;
        }
        boolean inTransaction = textTransaction || !raw.getAutoCommit();
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

    private static SQLException poisoned() {
        return new SQLException("this transaction was rolled back: a change in it could not be written to the"
                + " jdbc-sync change log, and committing it would have left the change unsynced", "40000");
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
        if (autoCommit && !was && capture.failedInTransaction()) {
            raw.rollback();
            raw.setAutoCommit(true);
            endTransaction(false);
            throw poisoned();
        }
        raw.setAutoCommit(autoCommit);
        if (autoCommit && !was) {
            endTransaction(true);
        }
    }

    @Override
    public void commit() throws SQLException {
        if (capture.failedInTransaction()) {
            raw.rollback();
            endTransaction(false);
            throw poisoned();
        }
        raw.commit();
        textTransaction = false;
        savepointTransaction = null;
        endTransaction(true);
    }

    @Override
    public void rollback() throws SQLException {
        raw.rollback();
        textTransaction = false;
        savepointTransaction = null;
        endTransaction(false);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        raw.rollback(savepoint);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return raw.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return raw.setSavepoint(name);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        raw.releaseSavepoint(savepoint);
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
    public void beginRequest() throws SQLException {
        raw.beginRequest();
    }

    @Override
    public void clearWarnings() throws SQLException {
        raw.clearWarnings();
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        return raw.createArrayOf(a0, a1);
    }

    @Override
    public Blob createBlob() throws SQLException {
        return raw.createBlob();
    }

    @Override
    public Clob createClob() throws SQLException {
        return raw.createClob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return raw.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return raw.createSQLXML();
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        return raw.createStruct(a0, a1);
    }

    @Override
    public void endRequest() throws SQLException {
        raw.endRequest();
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return raw.getAutoCommit();
    }

    @Override
    public String getCatalog() throws SQLException {
        return raw.getCatalog();
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return raw.getClientInfo();
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        return raw.getClientInfo(a0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return raw.getHoldability();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return raw.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        return raw.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return raw.getTransactionIsolation();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return raw.getTypeMap();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return raw.getWarnings();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed.get() || raw.isClosed();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return raw.isReadOnly();
    }

    @Override
    public boolean isValid(int a0) throws SQLException {
        return raw.isValid(a0);
    }

    @Override
    public String nativeSQL(String a0) throws SQLException {
        return raw.nativeSQL(a0);
    }

    @Override
    public void setCatalog(String a0) throws SQLException {
        raw.setCatalog(a0);
    }

    @Override
    public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
        raw.setClientInfo(a0, a1);
    }

    @Override
    public void setClientInfo(Properties a0) throws SQLClientInfoException {
        raw.setClientInfo(a0);
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        raw.setHoldability(a0);
    }

    @Override
    public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
        raw.setNetworkTimeout(a0, a1);
    }

    @Override
    public void setReadOnly(boolean a0) throws SQLException {
        raw.setReadOnly(a0);
    }

    @Override
    public void setSchema(String a0) throws SQLException {
        raw.setSchema(a0);
    }

    @Override
    public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
        raw.setShardingKey(a0, a1);
    }

    @Override
    public void setShardingKey(ShardingKey a0) throws SQLException {
        raw.setShardingKey(a0);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
        return raw.setShardingKeyIfValid(a0, a1);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
        return raw.setShardingKeyIfValid(a0, a1, a2);
    }

    @Override
    public void setTransactionIsolation(int a0) throws SQLException {
        raw.setTransactionIsolation(a0);
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
        raw.setTypeMap(a0);
    }

}
