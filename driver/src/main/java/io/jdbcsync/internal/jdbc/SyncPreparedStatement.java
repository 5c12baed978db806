package io.jdbcsync.internal.jdbc;

import io.jdbcsync.internal.capture.Binding;
import io.jdbcsync.internal.capture.WriteCapture;
import io.jdbcsync.internal.sql.Analysis;
import io.jdbcsync.internal.sql.StatementKind;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * A prepared statement. Reads and other statements that need no capture bind straight into the
 * underlying statement (no extra work per execution); writes keep the app's bindings so the capture
 * can log the values and bind them into the statement it actually runs.
 */
class SyncPreparedStatement extends SyncStatement implements PreparedStatement {
    /** Prepares an underlying statement for a SQL text. */
    interface Preparer<S extends PreparedStatement> {
        S prepare(String sql) throws SQLException;
    }

    /** Applies one app binding to an underlying statement. */
    interface Setter {
        void apply(PreparedStatement ps, int index) throws SQLException;
    }

    private record ParameterBinding(Object value, Setter setter, boolean plain) implements Binding {
        @Override
        public void apply(PreparedStatement ps, int index) throws SQLException {
            setter.apply(ps, index);
        }
    }

    final Analysis analysis;
    final PreparedStatement rawPs;
    /** The underlying statement when bindings go straight to it; null when the capture needs them. */
    final PreparedStatement direct;
    private final boolean plainRead;
    private final Binding[] bindings;
    private final List<Binding[]> batchSets = new ArrayList<>();
    private PreparedStatementCache cache;

    SyncPreparedStatement(SyncConnection connection, Analysis analysis, PreparedStatement rawPs) {
        super(connection, rawPs);
        this.analysis = analysis;
        this.rawPs = rawPs;
        // Writes and control statements keep their parameters: the driver uses them itself.
        boolean capture = analysis.kind() == StatementKind.WRITE || analysis.kind() == StatementKind.CONTROL;
        this.direct = capture ? null : rawPs;
        this.plainRead = analysis.kind() == StatementKind.READ || analysis.kind() == StatementKind.OTHER;
        this.bindings = new Binding[capture ? analysis.parameterCount() : 0];
    }

    static SyncPreparedStatement open(SyncConnection connection, String sql, Preparer<PreparedStatement> preparer)
            throws SQLException {
        Analysis a = connection.analyze(sql);
        connection.checkPrepared(a);
        // Control statements never reach the database; a trivial statement stands in for settings calls.
        PreparedStatement raw = preparer.prepare(a.kind() == StatementKind.CONTROL ? "SELECT 1" : sql);
        return new SyncPreparedStatement(connection, a, raw);
    }

    private PreparedStatementCache cache() {
        if (cache == null) {
            cache = new PreparedStatementCache(connection.raw(), analysis.sql(), rawPs, connection.device().dialect(), false);
        }
        return cache;
    }

    void bind(int index, Object value, Setter setter) throws SQLException {
        if (index < 1 || index > bindings.length) {
            throw new SQLException("parameter index " + index + " is out of range 1.." + bindings.length, "07009");
        }
        bindings[index - 1] = new ParameterBinding(value, setter, true);
    }

    /** A setter that converts on its own (a Calendar, a target type): the capture reads the stored value back. */
    void bindConverting(int index, Object value, Setter setter) throws SQLException {
        bind(index, value, setter);
        bindings[index - 1] = new ParameterBinding(value, setter, false);
    }

    private <T> T runPrepared(RawCall<T> call) throws SQLException {
        clearAnswer();
        setLastKeys(null);
        if (analysis.kind() == StatementKind.CONTROL) {
            answer(connection.control(analysis, this, boundControlArgument()));
            return null;
        }
        if (direct == null) {
            Binding[] set = bindings.clone();
            WriteCapture.Result r = connection.capture(analysis, List.<Binding[]>of(set), cache());
            if (r != null) {
                answer(r);
                return null;
            }
            applyAll(set);
        }
        connection.beforeExecute(analysis);
        carried(connection.replacesCarriedCount(analysis));
        T result = call.call();
        connection.afterExecute(analysis);
        return result;
    }

    private String boundControlArgument() throws SQLException {
        if (bindings.length == 0) {
            return null;
        }
        if (!(bindings[0] instanceof ParameterBinding p) || p.value() == null) {
            throw new SQLException("parameter 1 of CALL " + analysis.control() + "(?) is not set", "07001");
        }
        return p.value().toString();
    }

    private void applyAll(Binding[] set) throws SQLException {
        rawPs.clearParameters();
        for (int i = 0; i < set.length; i++) {
            if (set[i] == null) {
                throw new SQLException("parameter " + (i + 1) + " is not set", "07001");
            }
            set[i].apply(rawPs, i + 1);
        }
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        if (plainRead) {
            return wrap(rawPs.executeQuery());
        }
        ResultSet rs = runPrepared(rawPs::executeQuery);
        if (rs != null) {
            return wrap(rs);
        }
        ResultSet control = getResultSet();
        if (control != null) {
            return control;
        }
        throw new SQLException("statement does not return a result set: " + analysis.sql(), "07000");
    }

    @Override
    public int executeUpdate() throws SQLException {
        if (plainRead) {
            carried(connection.replacesCarriedCount(analysis));
            return rawCount(rawPs.executeUpdate());
        }
        Integer n = runPrepared(rawPs::executeUpdate);
        return n != null ? rawCount(n) : answeredUpdateCount();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        if (plainRead) {
            carried(connection.replacesCarriedCount(analysis));
            return rawCount(rawPs.executeLargeUpdate());
        }
        Long n = runPrepared(rawPs::executeLargeUpdate);
        return n != null ? rawCount(n) : answeredLargeCount();
    }

    @Override
    public boolean execute() throws SQLException {
        if (plainRead) {
            carried(connection.replacesCarriedCount(analysis));
            return rawPs.execute();
        }
        Boolean b = runPrepared(rawPs::execute);
        return b != null ? b : analysis.kind() == StatementKind.CONTROL || analysis.returning() != null;
    }

    @Override
    public void addBatch() throws SQLException {
        if (direct != null) {
            direct.addBatch();
        } else {
            batchSets.add(bindings.clone());
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        batchSets.clear();
        rawPs.clearBatch();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        throw new SQLException("addBatch(String) cannot be called on a PreparedStatement", "HY000");
    }

    @Override
    public int[] executeBatch() throws SQLException {
        if (direct != null) {
            connection.beforeExecute(analysis);
            int[] counts = direct.executeBatch();
            connection.afterExecute(analysis);
            return counts;
        }
        long[] large = executeLargeBatch();
        int[] out = new int[large.length];
        for (int i = 0; i < large.length; i++) {
            out[i] = (int) Math.min(Integer.MAX_VALUE, large[i]);
        }
        return out;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        if (direct != null) {
            connection.beforeExecute(analysis);
            long[] counts = direct.executeLargeBatch();
            connection.afterExecute(analysis);
            return counts;
        }
        List<Binding[]> sets = new ArrayList<>(batchSets);
        batchSets.clear();
        clearAnswer();
        setLastKeys(null);
        if (sets.isEmpty()) {
            return new long[0];
        }
        WriteCapture.Result r;
        try {
            r = connection.capture(analysis, sets, cache());
        } catch (java.sql.BatchUpdateException e) {
            throw e;
        } catch (SQLException e) {
            throw new java.sql.BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), new long[0], e);
        }
        if (r != null) {
            setLastKeys(r.keys());
            return r.counts();
        }
        rawPs.clearBatch();
        for (Binding[] set : sets) {
            applyAll(set);
            rawPs.addBatch();
        }
        return rawPs.executeLargeBatch();
    }

    @Override
    public void clearParameters() throws SQLException {
        if (direct != null) {
            direct.clearParameters();
        } else {
            Arrays.fill(bindings, null);
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return rawPs.getMetaData();
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        if (direct == null) {
            // The app's values are held for the capture; the underlying statement describes them
            // only once it has them too.
            for (int i = 0; i < bindings.length; i++) {
                if (bindings[i] != null) {
                    bindings[i].apply(rawPs, i + 1);
                }
            }
        }
        return rawPs.getParameterMetaData();
    }

    @Override
    public void close() throws SQLException {
        try {
            if (cache != null) {
                cache.close();
            }
        } finally {
            super.close();
        }
    }

    // ---- parameter setters: straight through, or kept for the capture ------------------------

    @Override
    public void setArray(int a0, Array a1) throws SQLException {
        if (direct != null) {
            direct.setArray(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setArray(i, a1));
    }

    @Override
    public void setAsciiStream(int a0, InputStream a1, int a2) throws SQLException {
        if (direct != null) {
            direct.setAsciiStream(a0, a1, a2);
            return;
        }
        String v = Materialized.text(a1, a2);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setAsciiStream(int a0, InputStream a1, long a2) throws SQLException {
        if (direct != null) {
            direct.setAsciiStream(a0, a1, a2);
            return;
        }
        String v = Materialized.text(a1, a2);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setAsciiStream(int a0, InputStream a1) throws SQLException {
        if (direct != null) {
            direct.setAsciiStream(a0, a1);
            return;
        }
        String v = Materialized.text(a1);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setBigDecimal(int a0, BigDecimal a1) throws SQLException {
        if (direct != null) {
            direct.setBigDecimal(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setBigDecimal(i, a1));
    }

    @Override
    public void setBinaryStream(int a0, InputStream a1, int a2) throws SQLException {
        if (direct != null) {
            direct.setBinaryStream(a0, a1, a2);
            return;
        }
        byte[] v = Materialized.bytes(a1, a2);
        bind(a0, v, (ps, i) -> ps.setBytes(i, v));
    }

    @Override
    public void setBinaryStream(int a0, InputStream a1, long a2) throws SQLException {
        if (direct != null) {
            direct.setBinaryStream(a0, a1, a2);
            return;
        }
        byte[] v = Materialized.bytes(a1, a2);
        bind(a0, v, (ps, i) -> ps.setBytes(i, v));
    }

    @Override
    public void setBinaryStream(int a0, InputStream a1) throws SQLException {
        if (direct != null) {
            direct.setBinaryStream(a0, a1);
            return;
        }
        byte[] v = Materialized.bytes(a1);
        bind(a0, v, (ps, i) -> ps.setBytes(i, v));
    }

    @Override
    public void setBlob(int a0, InputStream a1, long a2) throws SQLException {
        if (direct != null) {
            direct.setBlob(a0, a1, a2);
            return;
        }
        byte[] v = Materialized.bytes(a1, a2);
        bind(a0, v, (ps, i) -> ps.setBytes(i, v));
    }

    @Override
    public void setBlob(int a0, InputStream a1) throws SQLException {
        if (direct != null) {
            direct.setBlob(a0, a1);
            return;
        }
        byte[] v = Materialized.bytes(a1);
        bind(a0, v, (ps, i) -> ps.setBytes(i, v));
    }

    @Override
    public void setBlob(int a0, Blob a1) throws SQLException {
        if (direct != null) {
            direct.setBlob(a0, a1);
            return;
        }
        byte[] v = Materialized.bytes(a1);
        bind(a0, v, (ps, i) -> ps.setBytes(i, v));
    }

    @Override
    public void setBoolean(int a0, boolean a1) throws SQLException {
        if (direct != null) {
            direct.setBoolean(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setBoolean(i, a1));
    }

    @Override
    public void setByte(int a0, byte a1) throws SQLException {
        if (direct != null) {
            direct.setByte(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setByte(i, a1));
    }

    @Override
    public void setBytes(int a0, byte[] a1) throws SQLException {
        if (direct != null) {
            direct.setBytes(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setBytes(i, a1));
    }

    @Override
    public void setCharacterStream(int a0, Reader a1, int a2) throws SQLException {
        if (direct != null) {
            direct.setCharacterStream(a0, a1, a2);
            return;
        }
        String v = Materialized.text(a1, a2);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        if (direct != null) {
            direct.setCharacterStream(a0, a1, a2);
            return;
        }
        String v = Materialized.text(a1, a2);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setCharacterStream(int a0, Reader a1) throws SQLException {
        if (direct != null) {
            direct.setCharacterStream(a0, a1);
            return;
        }
        String v = Materialized.text(a1);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setClob(int a0, Reader a1, long a2) throws SQLException {
        if (direct != null) {
            direct.setClob(a0, a1, a2);
            return;
        }
        String v = Materialized.text(a1, a2);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setClob(int a0, Reader a1) throws SQLException {
        if (direct != null) {
            direct.setClob(a0, a1);
            return;
        }
        String v = Materialized.text(a1);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setClob(int a0, Clob a1) throws SQLException {
        if (direct != null) {
            direct.setClob(a0, a1);
            return;
        }
        String v = Materialized.text(a1);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setDate(int a0, Date a1, Calendar a2) throws SQLException {
        if (direct != null) {
            direct.setDate(a0, a1, a2);
            return;
        }
        bindConverting(a0, a1, (ps, i) -> ps.setDate(i, a1, a2));
    }

    @Override
    public void setDate(int a0, Date a1) throws SQLException {
        if (direct != null) {
            direct.setDate(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setDate(i, a1));
    }

    @Override
    public void setDouble(int a0, double a1) throws SQLException {
        if (direct != null) {
            direct.setDouble(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setDouble(i, a1));
    }

    @Override
    public void setFloat(int a0, float a1) throws SQLException {
        if (direct != null) {
            direct.setFloat(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setFloat(i, a1));
    }

    @Override
    public void setInt(int a0, int a1) throws SQLException {
        if (direct != null) {
            direct.setInt(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setInt(i, a1));
    }

    @Override
    public void setLong(int a0, long a1) throws SQLException {
        if (direct != null) {
            direct.setLong(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setLong(i, a1));
    }

    @Override
    public void setNCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        if (direct != null) {
            direct.setNCharacterStream(a0, a1, a2);
            return;
        }
        String v = Materialized.text(a1, a2);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setNCharacterStream(int a0, Reader a1) throws SQLException {
        if (direct != null) {
            direct.setNCharacterStream(a0, a1);
            return;
        }
        String v = Materialized.text(a1);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setNClob(int a0, Reader a1, long a2) throws SQLException {
        if (direct != null) {
            direct.setNClob(a0, a1, a2);
            return;
        }
        String v = Materialized.text(a1, a2);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setNClob(int a0, Reader a1) throws SQLException {
        if (direct != null) {
            direct.setNClob(a0, a1);
            return;
        }
        String v = Materialized.text(a1);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setNClob(int a0, NClob a1) throws SQLException {
        if (direct != null) {
            direct.setNClob(a0, a1);
            return;
        }
        String v = Materialized.text(a1);
        bind(a0, v, (ps, i) -> ps.setString(i, v));
    }

    @Override
    public void setNString(int a0, String a1) throws SQLException {
        if (direct != null) {
            direct.setNString(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setNString(i, a1));
    }

    @Override
    public void setNull(int a0, int a1, String a2) throws SQLException {
        if (direct != null) {
            direct.setNull(a0, a1, a2);
            return;
        }
        bind(a0, null, (ps, i) -> ps.setNull(i, a1, a2));
    }

    @Override
    public void setNull(int a0, int a1) throws SQLException {
        if (direct != null) {
            direct.setNull(a0, a1);
            return;
        }
        bind(a0, null, (ps, i) -> ps.setNull(i, a1));
    }

    @Override
    public void setObject(int a0, Object a1, int a2, int a3) throws SQLException {
        if (direct != null) {
            direct.setObject(a0, a1, a2, a3);
            return;
        }
        bindConverting(a0, a1, (ps, i) -> ps.setObject(i, a1, a2, a3));
    }

    @Override
    public void setObject(int a0, Object a1, int a2) throws SQLException {
        if (direct != null) {
            direct.setObject(a0, a1, a2);
            return;
        }
        bindConverting(a0, a1, (ps, i) -> ps.setObject(i, a1, a2));
    }

    @Override
    public void setObject(int a0, Object a1, SQLType a2, int a3) throws SQLException {
        if (direct != null) {
            direct.setObject(a0, a1, a2, a3);
            return;
        }
        bindConverting(a0, a1, (ps, i) -> ps.setObject(i, a1, a2, a3));
    }

    @Override
    public void setObject(int a0, Object a1, SQLType a2) throws SQLException {
        if (direct != null) {
            direct.setObject(a0, a1, a2);
            return;
        }
        bindConverting(a0, a1, (ps, i) -> ps.setObject(i, a1, a2));
    }

    @Override
    public void setObject(int a0, Object a1) throws SQLException {
        if (direct != null) {
            direct.setObject(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setObject(i, a1));
    }

    @Override
    public void setRef(int a0, Ref a1) throws SQLException {
        if (direct != null) {
            direct.setRef(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setRef(i, a1));
    }

    @Override
    public void setRowId(int a0, RowId a1) throws SQLException {
        if (direct != null) {
            direct.setRowId(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setRowId(i, a1));
    }

    @Override
    public void setSQLXML(int a0, SQLXML a1) throws SQLException {
        if (direct != null) {
            direct.setSQLXML(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setSQLXML(i, a1));
    }

    @Override
    public void setShort(int a0, short a1) throws SQLException {
        if (direct != null) {
            direct.setShort(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setShort(i, a1));
    }

    @Override
    public void setString(int a0, String a1) throws SQLException {
        if (direct != null) {
            direct.setString(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setString(i, a1));
    }

    @Override
    public void setTime(int a0, Time a1, Calendar a2) throws SQLException {
        if (direct != null) {
            direct.setTime(a0, a1, a2);
            return;
        }
        bindConverting(a0, a1, (ps, i) -> ps.setTime(i, a1, a2));
    }

    @Override
    public void setTime(int a0, Time a1) throws SQLException {
        if (direct != null) {
            direct.setTime(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setTime(i, a1));
    }

    @Override
    public void setTimestamp(int a0, Timestamp a1, Calendar a2) throws SQLException {
        if (direct != null) {
            direct.setTimestamp(a0, a1, a2);
            return;
        }
        bindConverting(a0, a1, (ps, i) -> ps.setTimestamp(i, a1, a2));
    }

    @Override
    public void setTimestamp(int a0, Timestamp a1) throws SQLException {
        if (direct != null) {
            direct.setTimestamp(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setTimestamp(i, a1));
    }

    @Override
    public void setURL(int a0, URL a1) throws SQLException {
        if (direct != null) {
            direct.setURL(a0, a1);
            return;
        }
        bind(a0, a1, (ps, i) -> ps.setURL(i, a1));
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int a0, InputStream a1, int a2) throws SQLException {
        if (direct != null) {
            direct.setUnicodeStream(a0, a1, a2);
            return;
        }
        byte[] v = Materialized.bytes(a1, a2);
        bind(a0, v, (ps, i) -> ps.setBytes(i, v));
    }

}
