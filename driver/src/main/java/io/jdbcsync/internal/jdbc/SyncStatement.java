package io.jdbcsync.internal.jdbc;

import io.jdbcsync.internal.capture.Binding;
import io.jdbcsync.internal.capture.UncapturableWriteException;
import io.jdbcsync.internal.capture.WriteCapture;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.sql.Analysis;
import io.jdbcsync.internal.sql.LiteralShape;
import io.jdbcsync.internal.sql.StatementKind;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain statement: each SQL text is classified; writes to synced tables run through the capture,
 * whose counts and keys this statement then reports; everything else goes to the underlying driver
 * ({@link ForwardingStatement}).
 */
class SyncStatement extends ForwardingStatement {
    private static final Binding[] NO_PARAMETERS = new Binding[0];
    /** Plain writes with literals run as their shape ({@link #runShape}); off only to compare with the text as sent. */
    static volatile boolean hoistLiterals = true;

    final SyncConnection connection;
    private PreparedStatementCache internal;
    private final List<String> batch = new ArrayList<>();
    /** Set when the driver answered the last execution itself. */
    private WriteCapture.Result answered;
    private ResultSet answeredResult;
    private boolean answeredConsumed;
    private List<Object> lastKeys;
    private ResultSet lastRaw;
    private ResultSet lastWrapped;
    /** Set when the last raw execution's update count is the connection's carried-over count. */
    private boolean carried;

    SyncStatement(SyncConnection connection, Statement raw) {
        super(raw);
        this.connection = connection;
    }

    /** Underlying statements for captured texts; the app's own raw statement is not a prepared one. */
    PreparedStatementCache internal() {
        if (internal == null) {
            internal = new PreparedStatementCache(connection.raw(), null, null, connection.device().dialect(), true);
        }
        return internal;
    }

    void clearAnswer() {
        answered = null;
        answeredResult = null;
        answeredConsumed = false;
    }

    void answer(WriteCapture.Result result) throws SQLException {
        answered = result;
        lastKeys = result.keys();
        if (result.returned() != null) {
            // RETURNING: the rows are the statement's result, as the database would have given them.
            answeredResult = new ListResultSet(this, result.returned().names(), result.returned().types(),
                    new ArrayList<>(result.returned().rows()));
        }
    }

    void answer(ResultSet control) {
        answeredResult = control;
    }

    boolean isAnswered() {
        return answered != null || answeredResult != null;
    }

    long answeredCount() {
        long total = 0;
        for (long c : answered.counts()) {
            total += Math.max(0, c);
        }
        return total;
    }

    /** Functional handle on an underlying execution. */
    interface RawCall<T> {
        T call() throws SQLException;
    }

    /**
     * Runs one SQL text: control statements are answered, captured writes run through the capture,
     * the rest through {@code rawCall}. Returns null when the driver answered with an update count,
     * TRUE/FALSE from the raw call otherwise (or TRUE when a control result is ready).
     */
    private <T> T run(String sql, RawCall<T> rawCall) throws SQLException {
        clearAnswer();
        lastKeys = null;
        carried = false;
        if (hoistLiterals && sql != null && runShape(sql)) {
            return null;
        }
        Analysis a = connection.analyze(sql);
        if (a.kind() == StatementKind.CONTROL) {
            answer(connection.control(a, this));
            return null;
        }
        if (a.kind() == StatementKind.WRITE && (a.parameterCount() == 0 || connection.unboundParameterIsNull())) {
            // A ? in a plain statement is NULL where the database reads it so; elsewhere the
            // database refuses the text, and nothing is written.
            WriteCapture.Result r = connection.capture(a, List.<Binding[]>of(unbound(a.parameterCount())), internal());
            if (r != null) {
                answer(r);
                return null;
            }
        }
        connection.beforeExecute(a);
        carried = connection.replacesCarriedCount(a);
        T result = rawCall.call();
        connection.afterExecute(a);
        return result;
    }

    /**
     * Runs a write sent with literal values as its shape with those values bound ({@link LiteralShape}):
     * the shape repeats, so it is parsed once, and the app's text never enters the parse cache.
     * False when the shape does not apply (no literal, not a captured write, refused): the caller
     * then runs the text as it is.
     */
    private boolean runShape(String sql) throws SQLException {
        Dialect dialect = connection.device().dialect();
        LiteralShape shape = LiteralShape.of(sql, dialect.sqlSyntax(), dialect.literalTyping());
        if (shape == null) {
            return false;
        }
        Analysis s = connection.analyze(shape.sql());
        if (s.kind() != StatementKind.WRITE || s.problem() != null || s.several() || s.returning() != null
                || s.parameterCount() != shape.values().size()) {
            return false;
        }
        Binding[] values = new Binding[shape.values().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Binding.of(shape.values().get(i));
        }
        WriteCapture.Result r;
        try {
            r = connection.capture(s, List.<Binding[]>of(values), internal());
        } catch (UncapturableWriteException e) {
            return false; // nothing ran: the app's own text gets its own verdict
        }
        if (r == null) {
            return false;
        }
        answer(r);
        return true;
    }

    private static Binding[] unbound(int count) {
        if (count == 0) {
            return NO_PARAMETERS;
        }
        Binding[] nulls = new Binding[count];
        java.util.Arrays.fill(nulls, Binding.of(null));
        return nulls;
    }

    /** The update count to report for a raw execution that returned {@code n}. */
    int rawCount(int n) {
        return carried && n >= 0 ? (int) Math.min(Integer.MAX_VALUE, connection.lastAppCount()) : n;
    }

    long rawCount(long n) {
        return carried && n >= 0 ? connection.lastAppCount() : n;
    }

    void carried(boolean carried) {
        this.carried = carried;
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        ResultSet rs = run(sql, () -> raw.executeQuery(sql));
        if (rs != null) {
            return wrap(rs);
        }
        if (answeredResult != null) {
            return answeredResult;
        }
        throw new SQLException("statement does not return a result set: " + sql, "07000");
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        Integer n = run(sql, () -> raw.executeUpdate(sql));
        return n != null ? n : answeredUpdateCount();
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        Integer n = run(sql, () -> raw.executeUpdate(sql, autoGeneratedKeys));
        return n != null ? n : answeredUpdateCount();
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        Integer n = run(sql, () -> raw.executeUpdate(sql, columnIndexes));
        return n != null ? n : answeredUpdateCount();
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        Integer n = run(sql, () -> raw.executeUpdate(sql, columnNames));
        return n != null ? n : answeredUpdateCount();
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        Long n = run(sql, () -> raw.executeLargeUpdate(sql));
        return n != null ? n : answeredLargeCount();
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        Long n = run(sql, () -> raw.executeLargeUpdate(sql, autoGeneratedKeys));
        return n != null ? n : answeredLargeCount();
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        Long n = run(sql, () -> raw.executeLargeUpdate(sql, columnIndexes));
        return n != null ? n : answeredLargeCount();
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        Long n = run(sql, () -> raw.executeLargeUpdate(sql, columnNames));
        return n != null ? n : answeredLargeCount();
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        Boolean b = run(sql, () -> raw.execute(sql));
        return b != null ? b : answeredResult != null;
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        Boolean b = run(sql, () -> raw.execute(sql, autoGeneratedKeys));
        return b != null ? b : answeredResult != null;
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        Boolean b = run(sql, () -> raw.execute(sql, columnIndexes));
        return b != null ? b : answeredResult != null;
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        Boolean b = run(sql, () -> raw.execute(sql, columnNames));
        return b != null ? b : answeredResult != null;
    }

    int answeredUpdateCount() throws SQLException {
        if (answered == null) {
            throw new SQLException("statement returned a result set, not an update count", "07000");
        }
        return (int) Math.min(Integer.MAX_VALUE, answeredCount());
    }

    long answeredLargeCount() throws SQLException {
        if (answered == null) {
            throw new SQLException("statement returned a result set, not an update count", "07000");
        }
        return answeredCount();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        if (answeredResult != null) {
            return answeredConsumed ? null : answeredResult;
        }
        if (answered != null) {
            return null;
        }
        return wrap(raw.getResultSet());
    }

    @Override
    public int getUpdateCount() throws SQLException {
        if (answeredResult != null) {
            return -1;
        }
        if (answered != null) {
            return answeredConsumed ? -1 : answeredUpdateCount();
        }
        return rawCount(raw.getUpdateCount());
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        if (answeredResult != null) {
            return -1;
        }
        if (answered != null) {
            return answeredConsumed ? -1 : answeredCount();
        }
        return rawCount(raw.getLargeUpdateCount());
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        if (isAnswered()) {
            answeredConsumed = true;
            return false;
        }
        return raw.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        if (isAnswered()) {
            answeredConsumed = true;
            return false;
        }
        return raw.getMoreResults(current);
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        if (lastKeys != null) {
            return keysResult(lastKeys);
        }
        return wrap(raw.getGeneratedKeys());
    }

    /**
     * An underlying result set as the app sees it: owned by this statement. The same underlying
     * result set gets the same wrapper, as repeated {@code getResultSet()} calls expect.
     */
    ResultSet wrap(ResultSet rs) {
        if (rs == null) {
            return null;
        }
        if (rs != lastRaw) {
            lastRaw = rs;
            lastWrapped = SyncResultSet.of(this, rs);
        }
        return lastWrapped;
    }

    ResultSet keysResult(List<Object> keys) {
        List<Object[]> rows = new ArrayList<>(keys.size());
        int type = Types.BIGINT;
        for (Object k : keys) {
            if (k != null) {
                rows.add(new Object[] {k});
                if (!(k instanceof Long)) {
                    type = k instanceof byte[] ? Types.BINARY : Types.VARCHAR;
                }
            }
        }
        return new ListResultSet(this, new String[] {"GENERATED_KEY"}, new int[] {type}, rows);
    }

    void setLastKeys(List<Object> keys) {
        this.lastKeys = keys;
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        batch.clear();
        raw.clearBatch();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] counts = executeLargeBatch();
        int[] out = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = (int) Math.min(Integer.MAX_VALUE, counts[i]);
        }
        return out;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        List<String> texts = new ArrayList<>(batch);
        batch.clear();
        clearAnswer();
        boolean anyCaptured = false;
        Dialect dialect = connection.device().dialect();
        for (String sql : texts) {
            // One text the driver must see is enough; a write with literals is one without being
            // analysed, so a batch of new texts does not fill the parse cache.
            if (hoistLiterals && sql != null && LiteralShape.of(sql, dialect.sqlSyntax(), dialect.literalTyping()) != null) {
                anyCaptured = true;
                break;
            }
            Analysis a = connection.analyze(sql);
            anyCaptured = a.kind() == StatementKind.WRITE || a.kind() == StatementKind.CONTROL
                    || a.kind() == StatementKind.DDL || a.kind() == StatementKind.TRANSACTION;
            if (anyCaptured) {
                break;
            }
        }
        if (!anyCaptured) {
            for (String sql : texts) {
                raw.addBatch(sql);
            }
            return raw.executeLargeBatch();
        }
        long[] counts = new long[texts.size()];
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                counts[i] = executeLargeUpdate(texts.get(i));
                if (lastKeys != null) {
                    keys.addAll(lastKeys);
                }
            } catch (SQLException e) {
                long[] done = java.util.Arrays.copyOf(counts, i);
                throw new java.sql.BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), done, e);
            }
        }
        lastKeys = keys;
        clearAnswer();
        return counts;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (internal != null) {
                internal.close();
            }
        } finally {
            raw.close();
        }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Unwrapping.unwrap(this, raw, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Unwrapping.isWrapperFor(this, raw, iface);
    }

    // ---- everything else is the underlying statement's ----------------------------------------

}
